using System.Globalization;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Email;
using AdIntel.Web.Infrastructure.Options;
using AdIntel.Web.Infrastructure.Security;
using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Infrastructure.Auth;

/// <summary>An invitation that can still be accepted, with its store's name.</summary>
public sealed record PendingInvitation(long Id, long StoreId, string StoreName, string Email, StoreRole Role, DateTime ExpiresAtUtc);

/// <summary>The outcome of inviting someone: the link is shown to the owner when it could not be e-mailed.</summary>
public sealed record InvitationSent(StoreInvitation Invitation, string Link, bool Emailed, string? EmailProblem);

/// <summary>
/// Invitations to a store: created by an owner (Settings → Members) with a role, sent by e-mail as a link holding a
/// secret (only its hash is stored), accepted once by the person holding the link (Account → AcceptInvitation).
/// </summary>
public sealed class Invitations(AdIntelDbContext db, IAuditLog audit, IEmailSender email, PublicLinks links,
    IOptions<AuthOptions> auth, IServiceScopeFactory scopes, TimeProvider time, ILogger<Invitations> logger)
{
    public const string AcceptPath = "/account/accept-invitation";

    /// <summary>
    /// Invites <paramref name="address"/> to the current store; a pending invitation to the same address is replaced.
    /// Null when the address already belongs to a member.
    /// </summary>
    public async Task<InvitationSent?> InviteAsync(string address, StoreRole role, string inviter, HttpRequest request,
        CancellationToken cancellationToken)
    {
        var normalized = AccountRules.NormalizeEmail(address);
        if (await db.StoreMembers.AnyAsync(m => m.Email == normalized, cancellationToken))
        {
            return null;
        }
        var now = time.GetUtcNow().UtcDateTime;
        // The entry names the invitation's id, known after the first save; both saves commit together.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var previous in await db.StoreInvitations
            .Where(i => i.Email == normalized && i.AcceptedAtUtc == null && i.RevokedAtUtc == null).ToListAsync(cancellationToken))
        {
            previous.RevokedAtUtc = now;
        }
        var secret = Secrets.NewUrlSafe();
        var invitation = new StoreInvitation
        {
            Email = normalized,
            Role = role,
            TokenHash = Secrets.Hash(secret),
            InvitedBy = inviter,
            CreatedAtUtc = now,
            ExpiresAtUtc = now.AddDays(auth.Value.InvitationDays),
        };
        db.StoreInvitations.Add(invitation);
        await db.SaveChangesAsync(cancellationToken);
        audit.Record(new AuditChange("invitation.created", "invitation", invitation.Id.ToString(CultureInfo.InvariantCulture),
            $"Invited {normalized} as {role.ToString().ToLowerInvariant()}.", After: new { email = normalized, role = role.ToString(), expiresAtUtc = invitation.ExpiresAtUtc }));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        var link = links.ForEmail(request, AcceptPath + "?token=" + secret);
        if (!email.IsConfigured)
        {
            return new InvitationSent(invitation, link, Emailed: false, "This installation has no SMTP server configured.");
        }
        var storeName = await db.Stores.Where(s => s.Id == db.CurrentStoreId).Select(s => s.Name).SingleAsync(cancellationToken);
        try
        {
            await email.SendAsync(new EmailMessage(normalized, $"You are invited to {storeName} on AdIntel",
                $"""
                {inviter} invited you to {storeName} on AdIntel as {Describe(role)}.

                Accept the invitation here:
                {link}

                The link works once and expires on {invitation.ExpiresAtUtc:yyyy-MM-dd} (UTC).
                """), cancellationToken);
            return new InvitationSent(invitation, link, Emailed: true, null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not send the invitation e-mail");
            return new InvitationSent(invitation, link, Emailed: false, "The e-mail could not be sent: " + e.Message);
        }
    }

    public static string Describe(StoreRole role) => role switch
    {
        StoreRole.Owner => "an owner (everything, including members and API tokens)",
        StoreRole.Marketer => "a marketer (rules, actions, imports and settings)",
        StoreRole.Accountant => "an accountant (reports and exports)",
        _ => "a viewer (dashboards and campaigns, read only)",
    };

    /// <summary>The invitation the link's secret belongs to, if it is still pending; any store (the person is not signed in yet).</summary>
    public async Task<PendingInvitation?> FindPendingAsync(string? secret, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length > 100)
        {
            return null;
        }
        var hash = Secrets.Hash(secret);
        var now = time.GetUtcNow().UtcDateTime;
        return await (
                from invitation in db.StoreInvitations.IgnoreQueryFilters()
                join store in db.Stores on invitation.StoreId equals store.Id
                where invitation.TokenHash == hash && invitation.AcceptedAtUtc == null && invitation.RevokedAtUtc == null
                    && invitation.ExpiresAtUtc > now
                select new PendingInvitation(invitation.Id, store.Id, store.Name, invitation.Email, invitation.Role, invitation.ExpiresAtUtc))
            .FirstOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// Makes <paramref name="user"/> a member of the invitation's store with its role and uses the invitation up.
    /// Written in a scope of its own: the person may be signed in to another store, whose scope cannot write here.
    /// </summary>
    public async Task AcceptAsync(PendingInvitation invitation, AppUser user, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateStoreScope(invitation.StoreId);
        var storeDb = scope.ServiceProvider.GetRequiredService<AdIntelDbContext>();
        var row = await storeDb.StoreInvitations.SingleAsync(i => i.Id == invitation.Id, cancellationToken);
        row.AcceptedAtUtc = time.GetUtcNow().UtcDateTime;
        var email = user.Email ?? invitation.Email;
        if (!await storeDb.StoreMembers.AnyAsync(m => m.UserId == user.Id || m.Email == email, cancellationToken))
        {
            storeDb.StoreMembers.Add(new StoreMember
            {
                UserId = user.Id,
                Email = email,
                DisplayName = user.DisplayName,
                Role = invitation.Role,
                CreatedAtUtc = row.AcceptedAtUtc.Value,
            });
            scope.ServiceProvider.GetRequiredService<IAuditLog>().Record(new AuditChange("member.joined", "member",
                user.Id.ToString(CultureInfo.InvariantCulture), $"{email} accepted the invitation and joined as {invitation.Role.ToString().ToLowerInvariant()}.",
                After: new { email, role = invitation.Role.ToString() }), actor: email);
        }
        await storeDb.SaveChangesAsync(cancellationToken);
    }
}
