namespace AdIntel.Web.Infrastructure.Email;

/// <summary>A plain-text e-mail to one person, optionally with files attached (scheduled reports).</summary>
public sealed record EmailMessage(string To, string Subject, string TextBody, IReadOnlyList<EmailAttachment>? Attachments = null);

/// <summary>A file sent with an e-mail.</summary>
public sealed record EmailAttachment(string FileName, string ContentType, byte[] Content);

/// <summary>Sends the app's e-mails (invitations, password resets, scheduled reports).</summary>
public interface IEmailSender
{
    /// <summary>False when no SMTP server is configured: callers then show links on screen instead.</summary>
    bool IsConfigured { get; }

    Task SendAsync(EmailMessage message, CancellationToken cancellationToken);
}
