using System.ComponentModel.DataAnnotations;
using System.Globalization;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Htmx;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Settings;

/// <summary>
/// Personal API tokens: created with a name and role, shown once, stored hashed, revocable. A token made by a
/// member is tied to the membership (it never acts above the member's current role; removing the member revokes it).
/// Only a signed-in person manages tokens: an API token cannot make another. Creating and revoking are audited.
/// </summary>
[Authorize(Policy = Policies.Owner)]
[Authorize(Policy = Policies.Person)]
public sealed class ApiTokensModel(AdIntelDbContext db, IAuditLog audit, TimeProvider time) : PageModel
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
            var memberId = User.GetUserId() is { } userId
                ? await db.StoreMembers.Where(m => m.UserId == userId).Select(m => (long?)m.Id).FirstOrDefaultAsync(cancellationToken)
                : null;
            var token = new ApiToken
            {
                MemberId = memberId,
                Name = Input.Name.Trim(),
                Role = Input.Role,
                Prefix = secret[..8],
                TokenHash = ApiTokenAuthenticationHandler.Hash(secret),
                CreatedAtUtc = time.GetUtcNow().UtcDateTime,
            };
            // The entry names the token's id, known after the first save; both saves commit together.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.ApiTokens.Add(token);
            await db.SaveChangesAsync(cancellationToken);
            audit.Record(new AuditChange("api_token.created", "api_token", token.Id.ToString(CultureInfo.InvariantCulture),
                $"Created the API token “{token.Name}” ({token.Prefix}…) with the role {token.Role.ToString().ToLowerInvariant()}.",
                After: new { token.Name, token.Prefix, role = token.Role.ToString() }));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            CreatedSecret = secret;
            Input = new NewTokenInput();
            ModelState.Clear();
        }
        await LoadAsync(cancellationToken);
        return this.PageOrPartial("_ApiTokens", this);
    }

    public async Task<IActionResult> OnPostRevokeAsync(long id, CancellationToken cancellationToken)
    {
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (token is null)
        {
            return NotFound();
        }
        if (token.RevokedAtUtc is null)
        {
            token.RevokedAtUtc = time.GetUtcNow().UtcDateTime;
            audit.Record(new AuditChange("api_token.revoked", "api_token", token.Id.ToString(CultureInfo.InvariantCulture),
                $"Revoked the API token “{token.Name}” ({token.Prefix}…).", Before: new { token.Name, token.Prefix, role = token.Role.ToString() }));
            await db.SaveChangesAsync(cancellationToken);
        }
        await LoadAsync(cancellationToken);
        return this.PartialOr("_ApiTokens", this, RedirectToPage());
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
