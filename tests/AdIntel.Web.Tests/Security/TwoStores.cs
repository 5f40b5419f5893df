using System.Globalization;
using System.Reflection;
using System.Text.Json;
using AdIntel.Web.Brain.Recommendations;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Security;

/// <summary>
/// Store A with a row of every kind, each named with <see cref="Marker"/>, and store B with an owner (browser session
/// and API token). The walks act as B with A's ids and look for the marker in every answer.
/// </summary>
public sealed class TwoStores
{
    private TwoStores(LocalApp app, string marker, long storeA, long storeB, TestMember ownerB, Browser browserB, HttpClient apiB)
    {
        App = app;
        Marker = marker;
        StoreA = storeA;
        StoreB = storeB;
        OwnerB = ownerB;
        BrowserB = browserB;
        ApiB = apiB;
    }

    public LocalApp App { get; }
    /// <summary>In every name, e-mail and text of store A; must never appear in an answer to B.</summary>
    public string Marker { get; }
    public long StoreA { get; }
    public long StoreB { get; }
    public TestMember OwnerB { get; }
    public Browser BrowserB { get; }
    public HttpClient ApiB { get; }

    public static async Task<TwoStores> CreateAsync(LocalApp app)
    {
        var marker = "zqleak" + Guid.NewGuid().ToString("N")[..10];
        var storeA = await app.CreateStoreAsync("Store " + marker);
        var ownerA = await app.CreateMemberAsync(storeA, StoreRole.Owner, $"{marker}@adintel.test");
        await app.App.WithDbAsync(storeA, db => FillAsync(db, marker, ownerA));
        await app.CreateTokenClientAsync(storeA, StoreRole.Owner, ownerA);

        var storeB = await app.CreateStoreAsync("Store B");
        var ownerB = await app.CreateMemberAsync(storeB, StoreRole.Owner);
        return new TwoStores(app, marker, storeA, storeB, ownerB, await app.SignInAsync(ownerB.Email),
            await app.CreateTokenClientAsync(storeB, StoreRole.Owner, ownerB));
    }

    private static async Task FillAsync(AdIntelDbContext db, string marker, TestMember owner)
    {
        var now = DateTime.UtcNow;
        var today = DateOnly.FromDateTime(now);
        var account = new AdAccount { ExternalId = "act_" + marker, Name = "Account " + marker };
        db.AdAccounts.Add(account);
        await db.SaveChangesAsync();
        var campaign = new Campaign { AdAccountId = account.Id, ExternalId = "c_" + marker, Name = "Campaign " + marker, UpdatedAtUtc = now, StartDate = today.AddDays(-30) };
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync();
        var adSet = new AdSet { CampaignId = campaign.Id, ExternalId = "as_" + marker, Name = "Ad set " + marker, UpdatedAtUtc = now };
        db.AdSets.Add(adSet);
        await db.SaveChangesAsync();
        var ad = new Ad { AdSetId = adSet.Id, CampaignId = campaign.Id, ExternalId = "ad_" + marker, Name = "Ad " + marker, UpdatedAtUtc = now };
        db.Ads.Add(ad);
        await db.SaveChangesAsync();
        db.AdInsights.Add(new AdInsightDaily { AdId = ad.Id, Date = today.AddDays(-1), Impressions = 1000, Reach = 800, Frequency = 1.25m, LinkClicks = 20, Spend = 12.34m, Purchases = 1, PurchaseValue = 56.78m });
        db.AdCreatives.Add(new AdCreative { AdId = ad.Id, PrimaryText = "Copy " + marker, Headline = "Headline " + marker, CallToAction = "SHOP_NOW", UpdatedAtUtc = now });
        var competitor = new Competitor { Name = "Competitor " + marker, SearchTerms = [marker], Countries = ["DE"], CreatedAtUtc = now };
        db.Competitors.Add(competitor);
        await db.SaveChangesAsync();
        db.CompetitorAds.Add(new CompetitorAd
        {
            CompetitorId = competitor.Id, ArchiveId = "lib_" + marker, PageName = "Page " + marker, Bodies = ["Body " + marker], DeliveryStart = today.AddDays(-3),
            FirstSeenAtUtc = now, LastSeenAtUtc = now,
        });
        var customer = new Customer { ExternalId = "cu_" + marker, Email = marker + "@customer.test", FirstName = marker, CreatedAtUtc = now };
        db.Customers.Add(customer);
        var product = new Product { ExternalId = "p_" + marker, Title = "Product " + marker };
        db.Products.Add(product);
        await db.SaveChangesAsync();
        var variant = new ProductVariant { ProductId = product.Id, ExternalId = "v_" + marker, Sku = marker, Title = "Variant " + marker, Price = 20 };
        db.ProductVariants.Add(variant);
        var order = new Order
        {
            ExternalId = "o_" + marker, Name = "#" + marker, CustomerId = customer.Id, Email = customer.Email, CreatedAtUtc = now.AddDays(-1),
            LocalDate = today.AddDays(-1), UpdatedAtUtc = now, GrossSales = 20, Total = 20,
        };
        db.Orders.Add(order);
        await db.SaveChangesAsync();
        db.OrderLines.Add(new OrderLine { OrderId = order.Id, VariantId = variant.Id, Sku = marker, Title = "Line " + marker, Quantity = 1, UnitPrice = 20 });
        db.Refunds.Add(new Refund { OrderId = order.Id, ExternalId = "r_" + marker, CreatedAtUtc = now, LocalDate = today, Amount = 5 });
        var rule = new Rule { Name = "Rule " + marker, Description = marker, Expression = "spend_7d > 1", CreatedAtUtc = now, UpdatedAtUtc = now };
        db.Rules.Add(rule);
        await db.SaveChangesAsync();
        db.RuleExecutions.Add(new RuleExecution { RuleId = rule.Id, StartedAtUtc = now, DetailsJson = JsonSerializer.Serialize(new[] { marker }) });
        db.Alerts.Add(new Alert { Type = "test", ConditionKey = "test:" + marker, ActiveKey = "test:" + marker, LastSeenAtUtc = now, Title = "Alert " + marker, Message = marker, CreatedAtUtc = now });
        db.DailyFacts.Add(new DailyStoreFacts { Date = today.AddDays(-1), Orders = 1, GrossSales = 20, AdSpend = 12.34m });
        db.TrackingDatasets.Add(new TrackingDataset { DatasetId = "px_" + marker, Name = "Pixel " + marker, TestEventCode = "T" + marker.Replace("-", "", StringComparison.Ordinal)[..8], SyncedAtUtc = now });
        db.TrackingEventDays.Add(new TrackingEventDay { Date = today.AddDays(-1), EventName = "Purchase", BrowserCount = 3, ServerCount = 2 });
        db.ImportRuns.Add(new ImportRun { Kind = "shopify-orders", FileName = marker + ".csv", Status = RunStatuses.Succeeded, ResultJson = JsonSerializer.Serialize(new { note = marker }), StartedAtUtc = now, FinishedAtUtc = now });
        db.StoreInvitations.Add(new StoreInvitation
        {
            Email = "invitee-" + marker + "@adintel.test", Role = StoreRole.Viewer, TokenHash = Secrets.Hash(marker), InvitedBy = owner.Email,
            CreatedAtUtc = now, ExpiresAtUtc = now.AddDays(7),
        });
        db.CreativeVariants.Add(new CreativeVariant
        {
            Product = "Product " + marker, Angle = CreativeAngles.Benefit, PrimaryText = "Shop " + marker, Headline = marker, CallToAction = "SHOP_NOW",
            Origin = CreativeVariantOrigins.Template, Score = 50, ComplianceSummary = marker, CreatedBy = owner.Email, UpdatedBy = owner.Email, CreatedAtUtc = now, UpdatedAtUtc = now,
        });
        db.AuditEntries.Add(new AuditEntry { AtUtc = now, Actor = owner.Email, Action = "test.marker", EntityType = "test", EntityId = "1", Summary = "Entry " + marker });
        var recommendation = new Recommendation("fix:tracking:" + marker, "fix", "high", "Recommendation " + marker, marker, [],
            new RecommendationImpact(0, 0, 0, marker), 1, [new RecommendationEntity("store", 1, marker, marker)], null);
        db.Recommendations.Add(new RecommendationRecord
        {
            Key = recommendation.Key, Type = recommendation.Type, Priority = recommendation.Priority, IsCurrent = true, FirstSeenAtUtc = now, ComputedAtUtc = now,
            PayloadJson = JsonSerializer.Serialize(recommendation, new JsonSerializerOptions(JsonSerializerDefaults.Web)),
        });
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Every id of store A: its rows of every store-owned kind, its accounts and the store itself. Rows of each kind are
    /// numbered from 1 in each table, so a few ids reach every row of A. None may be an id of B too (B's own rows
    /// would rightly answer), which would leave a row of A unwalked: that fails here rather than passing silently.
    /// </summary>
    public async Task<IReadOnlyList<long>> ForeignIdsAsync()
    {
        var a = await IdsAsync(StoreA);
        var b = await IdsAsync(StoreB);
        Assert.Empty(a.Intersect(b));
        return [.. a.Order()];
    }

    private Task<HashSet<long>> IdsAsync(long storeId) => App.App.WithDbAsync(null, async db =>
    {
        var ids = new HashSet<long> { storeId };
        foreach (var row in await OwnedRowsAsync(db, storeId))
        {
            ids.Add((long)row.GetType().GetProperty("Id")!.GetValue(row)!);
        }
        ids.UnionWith(await db.StoreMembers.IgnoreQueryFilters().Where(m => m.StoreId == storeId && m.UserId != null).Select(m => m.UserId!.Value).ToListAsync());
        return ids;
    });

    /// <summary>Store A as JSON: every store-owned row, its accounts and the store row; equal before and after means untouched.</summary>
    public Task<string> SnapshotAAsync() => SnapshotAsync(StoreA);

    public Task<string> SnapshotAsync(long storeId) => App.App.WithDbAsync(null, async db =>
    {
        var rows = (await OwnedRowsAsync(db, storeId)).Select(r => r.GetType().Name + ":" + JsonSerializer.Serialize(r, r.GetType())).Order(StringComparer.Ordinal).ToList();
        var userIds = await db.StoreMembers.IgnoreQueryFilters().Where(m => m.StoreId == storeId).Select(m => m.UserId).ToListAsync();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).OrderBy(u => u.Id)
            .Select(u => new { u.Id, u.Email, u.PasswordHash, u.SecurityStamp, u.AccessFailedCount, u.LockoutEnd }).ToListAsync();
        var store = await db.Stores.AsNoTracking().SingleAsync(s => s.Id == storeId);
        return string.Join('\n', rows) + JsonSerializer.Serialize(users) + JsonSerializer.Serialize(store);
    });

    private static async Task<List<object>> OwnedRowsAsync(AdIntelDbContext db, long storeId)
    {
        var rows = new List<object>();
        // Pending facts changes are the facts rebuild's bookkeeping: no route reads them, and SQLite reuses their ids.
        foreach (var type in db.Model.GetEntityTypes().Select(e => e.ClrType)
            .Where(t => typeof(IStoreOwned).IsAssignableFrom(t) && t != typeof(PendingFactsChange)).Distinct())
        {
            var load = typeof(TwoStores).GetMethod(nameof(RowsOfAsync), BindingFlags.NonPublic | BindingFlags.Static)!.MakeGenericMethod(type);
            rows.AddRange(await (Task<List<object>>)load.Invoke(null, [db, storeId])!);
        }
        return rows;
    }

    private static async Task<List<object>> RowsOfAsync<T>(AdIntelDbContext db, long storeId) where T : class, IStoreOwned =>
        [.. await db.Set<T>().IgnoreQueryFilters().AsNoTracking().Where(r => r.StoreId == storeId).ToListAsync()];

    public static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);
}
