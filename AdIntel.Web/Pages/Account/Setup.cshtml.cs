using System.ComponentModel.DataAnnotations;
using System.Globalization;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Security;
using AdIntel.Web.Metrics;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Account;

/// <summary>
/// First start of an empty install (Local mode, no account yet): creates the owner account, which also administers
/// the installation. The owner gets every store already in the database (e.g. the demo store) or, when there is
/// none, the store described on this page. Once an account exists the page only sends people to sign in.
/// </summary>
public sealed class SetupModel(AdIntelDbContext db, UserManager<AppUser> users, StoreSessions sessions, FirstRunState firstRun,
    IAuditLog audit, TimeProvider time, StoreCreator stores) : AccountPageModel
{
    /// <summary>Two browsers posting the form at once must not both become the first owner.</summary>
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    [BindProperty]
    public OwnerInput Input { get; set; } = new();

    [BindProperty]
    public NewPassword NewPassword { get; set; } = new();

    /// <summary>True when the database has no store yet, so the page asks for one.</summary>
    public bool AsksForStore { get; private set; }

    public IReadOnlyList<string> TimeZones => StoreTimeZones.All;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await firstRun.NeedsSetupAsync(cancellationToken))
        {
            return RedirectToPage("SignIn");
        }
        AsksForStore = !await db.Stores.AnyAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        await OneAtATime.WaitAsync(cancellationToken);
        try
        {
            if (!await firstRun.NeedsSetupAsync(cancellationToken))
            {
                return RedirectToPage("SignIn");
            }
            AsksForStore = !await db.Stores.AnyAsync(cancellationToken);
            if (AsksForStore)
            {
                ValidateStore();
            }
            if (!ModelState.IsValid)
            {
                return Page();
            }
            var now = time.GetUtcNow().UtcDateTime;
            var email = AccountRules.NormalizeEmail(Input.Email);
            var user = new AppUser
            {
                UserName = email,
                Email = email,
                DisplayName = string.IsNullOrWhiteSpace(Input.DisplayName) ? null : Input.DisplayName.Trim(),
                CreatedAtUtc = now,
                IsAdministrator = true,
            };
            var created = await users.CreateAsync(user, NewPassword.Password);
            if (!created.Succeeded)
            {
                foreach (var error in created.Errors)
                {
                    ModelState.AddModelError(error.Code.Contains("Password", StringComparison.Ordinal) ? "NewPassword.Password" : "Input.Email", error.Description);
                }
                return Page();
            }
            firstRun.AccountCreated();

            if (AsksForStore)
            {
                stores.Add(StoreDetails);
                await db.SaveChangesAsync(cancellationToken);
            }
            foreach (var storeId in await db.Stores.OrderBy(s => s.Id).Select(s => s.Id).ToListAsync(cancellationToken))
            {
                db.StoreMembers.Add(new StoreMember { StoreId = storeId, UserId = user.Id, Email = email, DisplayName = user.DisplayName, Role = StoreRole.Owner, CreatedAtUtc = now });
                audit.Record(new AuditChange("member.joined", "member", user.Id.ToString(CultureInfo.InvariantCulture),
                    $"{email} set up AdIntel and became the owner.", After: new { email, role = nameof(StoreRole.Owner) }), actor: email, storeId: storeId);
            }
            await db.SaveChangesAsync(cancellationToken);
            await sessions.SignInAsync(user, storeId: null, persistent: false, cancellationToken);
            return LocalRedirect("/");
        }
        finally
        {
            OneAtATime.Release();
        }
    }

    private StoreDetails StoreDetails => new(Input.StoreName, Input.ShopDomain, Input.Currency, Input.TimeZone);

    private void ValidateStore()
    {
        foreach (var (field, problem) in StoreDetails.Problems())
        {
            ModelState.AddModelError(field switch
            {
                "name" => "Input.StoreName",
                "shopDomain" => "Input.ShopDomain",
                "currency" => "Input.Currency",
                _ => "Input.TimeZone",
            }, problem);
        }
    }

    public sealed class OwnerInput
    {
        [Required(ErrorMessage = "Enter your e-mail address.")]
        [EmailAddress(ErrorMessage = "Enter a valid e-mail address.")]
        [StringLength(256)]
        public string Email { get; set; } = "";

        [StringLength(200, ErrorMessage = "Keep the name under 200 characters.")]
        public string? DisplayName { get; set; }

        [StringLength(200, ErrorMessage = "Keep the name under 200 characters.")]
        public string? StoreName { get; set; }

        [StringLength(255)]
        public string? ShopDomain { get; set; }

        [StringLength(3)]
        public string? Currency { get; set; } = "USD";

        [StringLength(64)]
        public string? TimeZone { get; set; } = "America/New_York";
    }
}
