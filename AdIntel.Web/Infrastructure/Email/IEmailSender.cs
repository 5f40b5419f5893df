namespace AdIntel.Web.Infrastructure.Email;

/// <summary>A plain-text e-mail to one person.</summary>
public sealed record EmailMessage(string To, string Subject, string TextBody);

/// <summary>Sends the app's e-mails (invitations, password resets).</summary>
public interface IEmailSender
{
    /// <summary>False when no SMTP server is configured: callers then show links on screen instead.</summary>
    bool IsConfigured { get; }

    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
