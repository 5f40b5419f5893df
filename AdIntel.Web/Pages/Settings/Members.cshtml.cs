using System.ComponentModel.DataAnnotations;
using System.Globalization;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Htmx;
using AdIntel.Web.Infrastructure.Options;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Pages.Settings;

/// <summary>
/// Who may use this store and with which role: invite by e-mail, change a role, remove someone. A store always keeps
/// at least one owner. Only a signed-in person may change who belongs to the store, never an API token. Every change is
/// audited; removing a member also revokes the API tokens they made.
/// </summary>
[Authorize(Policy = Policies.Owner)]
[Authorize(Policy = Policies.Person)]
public sealed class MembersModel(AdIntelDbContext db, Invitations invitations, IAuditLog audit, IOptions<AuthOptions> auth,
    TimeProvider time) : PageModel
{
    public const string LastOwner = "A store needs at least one owner: make someone else owner first.";

    [BindProperty]
    public InviteInput Invite { get; set; } = new();

    public IReadOnlyList<MemberRow> Members { get; private set; } = [];
    public IReadOnlyList<StoreInvitation> PendingInvitations { get; private set; } = [];

    /// <summary>The invitation just made; its link is shown when it could not be e-mailed.</summary>
    public InvitationSent? Sent { get; private set; }

    /// <summary>Why the last change was refused, in a sentence.</summary>
    public string? Problem { get; private set; }

    /// <summary>Invitations need local accounts; in the other modes the page lists members only.</summary>
    public bool CanInvite => auth.Value.IsLocal;

    public long? CurrentUserId => User.GetUserId();

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostInviteAsync(CancellationToken cancellationToken)
    {
        if (!CanInvite)
        {
            Problem = "Invitations need local accounts (Auth:Mode=Local).";
        }
        else if (ModelState.IsValid)
        {
            Sent = await invitations.InviteAsync(Invite.Email, Invite.Role, User.GetActor(), Request, cancellationToken);
            if (Sent is null)
            {
                ModelState.AddModelError("Invite.Email", $"{Invite.Email.Trim()} is already a member of this store.");
            }
            else
            {
                Invite = new InviteInput();
                ModelState.Clear();
            }
        }
        return await RenderAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostRevokeInvitationAsync(long id, CancellationToken cancellationToken)
    {
        var invitation = await db.StoreInvitations.SingleOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (invitation is null)
        {
            return NotFound();
        }
        if (invitation.AcceptedAtUtc is null && invitation.RevokedAtUtc is null)
        {
            invitation.RevokedAtUtc = time.GetUtcNow().UtcDateTime;
            audit.Record(new AuditChange("invitation.revoked", "invitation", Id(invitation.Id),
                $"Withdrew the invitation of {invitation.Email}.", Before: new { invitation.Email, role = invitation.Role.ToString() }));
            await db.SaveChangesAsync(cancellationToken);
        }
        return await RenderAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostChangeRoleAsync(long id, StoreRole role, CancellationToken cancellationToken)
    {
        var member = await db.StoreMembers.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (member is null)
        {
            return NotFound();
        }
        if (!Enum.IsDefined(role))
        {
            return BadRequest();
        }
        if (member.Role == role)
        {
            return await RenderAsync(cancellationToken);
        }
        if (member.Role == StoreRole.Owner && await IsLastOwnerAsync(cancellationToken))
        {
            Problem = LastOwner;
            return await RenderAsync(cancellationToken);
        }
        var before = member.Role;
        member.Role = role;
        audit.Record(new AuditChange("member.role_changed", "member", Id(member.Id),
            $"Changed the role of {member.Email} from {before.ToString().ToLowerInvariant()} to {role.ToString().ToLowerInvariant()}.",
            new { role = before.ToString() }, new { role = role.ToString() }));
        await db.SaveChangesAsync(cancellationToken);
        return await RenderAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostRemoveAsync(long id, CancellationToken cancellationToken)
    {
        var member = await db.StoreMembers.SingleOrDefaultAsync(m => m.Id == id, cancellationToken);
        if (member is null)
        {
            return NotFound();
        }
        if (member.Role == StoreRole.Owner && await IsLastOwnerAsync(cancellationToken))
        {
            Problem = LastOwner;
            return await RenderAsync(cancellationToken);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var tokens = await db.ApiTokens.Where(t => t.MemberId == member.Id && t.RevokedAtUtc == null).ToListAsync(cancellationToken);
        foreach (var token in tokens)
        {
            token.RevokedAtUtc = now;
        }
        db.StoreMembers.Remove(member);
        audit.Record(new AuditChange("member.removed", "member", Id(member.Id),
            $"Removed {member.Email} ({member.Role.ToString().ToLowerInvariant()})" + (tokens.Count > 0 ? $" and revoked their {tokens.Count} API token(s)." : "."),
            Before: new { member.Email, role = member.Role.ToString() }));
        await db.SaveChangesAsync(cancellationToken);
        return await RenderAsync(cancellationToken);
    }

    private async Task<bool> IsLastOwnerAsync(CancellationToken cancellationToken) =>
        await db.StoreMembers.CountAsync(m => m.Role == StoreRole.Owner, cancellationToken) <= 1;

    private async Task<IActionResult> RenderAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return this.PageOrPartial("_Members", this);
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Members = await (
                from member in db.StoreMembers
                join user in db.Users on member.UserId equals user.Id into accounts
                from user in accounts.DefaultIfEmpty()
                orderby member.Role descending, member.Email
                select new MemberRow(member.Id, member.UserId, member.Email, member.DisplayName, member.Role, member.CreatedAtUtc,
                    user == null ? null : user.LastSignInAtUtc))
            .ToListAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        PendingInvitations = await db.StoreInvitations.AsNoTracking()
            .Where(i => i.AcceptedAtUtc == null && i.RevokedAtUtc == null && i.ExpiresAtUtc > now)
            .OrderByDescending(i => i.CreatedAtUtc).ToListAsync(cancellationToken);
    }

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    public sealed record MemberRow(long Id, long? UserId, string Email, string? DisplayName, StoreRole Role, DateTime JoinedAtUtc,
        DateTime? LastSignInAtUtc);

    public sealed class InviteInput
    {
        [Required(ErrorMessage = "Enter the e-mail address to invite.")]
        [EmailAddress(ErrorMessage = "Enter a valid e-mail address.")]
        [StringLength(256)]
        public string Email { get; set; } = "";

        [EnumDataType(typeof(StoreRole), ErrorMessage = "Choose a role.")]
        public StoreRole Role { get; set; } = StoreRole.Viewer;
    }
}
