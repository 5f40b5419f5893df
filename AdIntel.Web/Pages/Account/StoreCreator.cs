using System.Globalization;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Security;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;

using AdIntel.Web.Infrastructure.Tenancy;

namespace AdIntel.Web.Pages.Account;

/// <summary>What a person says about a new store: its name, Shopify address, currency and time zone.</summary>
public sealed record StoreDetails(string? Name, string? ShopDomain, string? Currency, string? TimeZone)
{
    /// <summary>What is wrong with each field (keys: name, shopDomain, currency, timeZone); empty when it can be created.</summary>
    public Dictionary<string, string> Problems()
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(Name))
        {
            problems["name"] = "Name your store.";
        }
        else if (Name.Trim().Length > 200)
        {
            problems["name"] = "Keep the name under 200 characters.";
        }
        if (string.IsNullOrWhiteSpace(ShopDomain) || !ShopDomains.IsValid(ShopDomain.Trim().ToLowerInvariant()))
        {
            problems["shopDomain"] = "Enter the store's address ending in .myshopify.com, e.g. acme.myshopify.com.";
        }
        if (string.IsNullOrWhiteSpace(Currency) || Currency.Trim().Length != 3 || !Currency.Trim().All(char.IsAsciiLetter))
        {
            problems["currency"] = "Enter the store currency's three-letter code, e.g. USD or EUR.";
        }
        if (!StoreTimeZones.Contains(TimeZone))
        {
            problems["timeZone"] = "Choose the store's time zone (Shopify admin → Settings → General).";
        }
        return problems;
    }
}

/// <summary>
/// Creates stores from what a person entered (first-run setup and "Add a store"): the one place a store is made from
/// a form; the store's address must not belong to another store of the installation. Use it from a scope without a
/// store (setup, or a scope of its own): <see cref="CreateAsync"/> then works in the new store.
/// </summary>
public sealed class StoreCreator(AdIntelDbContext db, StoreContext storeContext, IAuditLog audit, TimeProvider time)
{
    /// <summary>Adds the store and its settings to the unit of work (the caller saves); the details must have no problems.</summary>
    public Store Add(StoreDetails details)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var store = new Store
        {
            Name = details.Name!.Trim(),
            ShopDomain = details.ShopDomain!.Trim().ToLowerInvariant(),
            Currency = details.Currency!.Trim().ToUpperInvariant(),
            TimeZone = details.TimeZone!,
            CreatedAtUtc = now,
        };
        db.Stores.Add(store);
        return store;
    }

    /// <summary>The problem with the details, including an address another store already has; empty when it can be created.</summary>
    public async Task<Dictionary<string, string>> ProblemsAsync(StoreDetails details, CancellationToken cancellationToken)
    {
        var problems = details.Problems();
        if (!problems.ContainsKey("shopDomain"))
        {
            var shop = details.ShopDomain!.Trim().ToLowerInvariant();
            if (await db.Stores.AnyAsync(s => s.ShopDomain == shop, cancellationToken))
            {
                problems["shopDomain"] = $"{shop} is already a store of this installation: switch to it from the store menu (or ask its owner to invite you).";
            }
        }
        return problems;
    }

    /// <summary>
    /// Creates the store with <paramref name="owner"/> as its owner, audited in the new store; the problems instead
    /// when the details are not usable.
    /// </summary>
    public async Task<(long? StoreId, Dictionary<string, string> Problems)> CreateAsync(StoreDetails details, AppUser owner, CancellationToken cancellationToken)
    {
        var problems = await ProblemsAsync(details, cancellationToken);
        if (problems.Count > 0)
        {
            return (null, problems);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var store = Add(details);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another request took the same address between the check and the insert (the unique index settles it).
            db.ChangeTracker.Clear();
            return (null, new Dictionary<string, string>(StringComparer.Ordinal) { ["shopDomain"] = $"{store.ShopDomain} was just added as another store." });
        }
        storeContext.Set(store.Id);
        db.StoreSettings.Add(new StoreSettings { StoreId = store.Id, UpdatedAtUtc = now });
        db.StoreMembers.Add(new StoreMember
        {
            StoreId = store.Id, UserId = owner.Id, Email = owner.Email!, DisplayName = owner.DisplayName, Role = StoreRole.Owner, CreatedAtUtc = now,
        });
        audit.Record(new AuditChange("store.created", "store", store.Id.ToString(CultureInfo.InvariantCulture),
            $"{owner.Email} added the store {store.Name} ({store.ShopDomain}) and owns it.", After: new { store.Name, store.ShopDomain, store.Currency, store.TimeZone }),
            actor: owner.Email, storeId: store.Id);
        await db.SaveChangesAsync(cancellationToken);
        return (store.Id, problems);
    }
}
