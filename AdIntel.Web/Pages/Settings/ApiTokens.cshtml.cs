using System.ComponentModel.DataAnnotations;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using Htmx;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Settings;

/// <summary>Personal API tokens: created with a name and role, shown once, stored hashed, revocable.</summary>
[Authorize(Policy = AuthServiceCollectionExtensions.Policies.Owner)]
public sealed class ApiTokensModel(AdIntelDbContext db, TimeProvider time) : PageModel
{
    [BindProperty]
    public NewTokenInput Input { get; set; } = new();

    public IReadOnlyList<ApiToken> Tokens { get; private set; } = [];

    /// <summary>The secret of a token just created; shown once and never stored.</summary>
    public string? CreatedSecret { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        if (ModelState.IsValid)
        {
            var secret = ApiTokenAuthenticationHandler.NewToken();
            db.ApiTokens.Add(new ApiToken
            {
                Name = Input.Name.Trim(),
                Role = Input.Role,
                Prefix = secret[..8],
                TokenHash = ApiTokenAuthenticationHandler.Hash(secret),
                CreatedAtUtc = time.GetUtcNow().UtcDateTime,
            });
            await db.SaveChangesAsync(cancellationToken);
            CreatedSecret = secret;
            Input = new NewTokenInput();
            ModelState.Clear();
        }
        await LoadAsync(cancellationToken);
        return Request.IsHtmx() ? Partial("_ApiTokens", this) : Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id, CancellationToken cancellationToken)
    {
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (token is null)
        {
            return NotFound();
        }
        token.RevokedAtUtc ??= time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        await LoadAsync(cancellationToken);
        return Request.IsHtmx() ? Partial("_ApiTokens", this) : RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken cancellationToken) =>
        Tokens = await db.ApiTokens.AsNoTracking().OrderByDescending(t => t.CreatedAtUtc).ToListAsync(cancellationToken);

    public sealed class NewTokenInput
    {
        [Required(ErrorMessage = "Give the token a name, e.g. the script that will use it.")]
        [StringLength(80, ErrorMessage = "Keep the name under 80 characters.")]
        public string Name { get; set; } = "";

        [EnumDataType(typeof(StoreRole), ErrorMessage = "Choose a role.")]
        public StoreRole Role { get; set; } = StoreRole.Viewer;
    }
}
