using System.ComponentModel.DataAnnotations;

namespace AdIntel.Web.Infrastructure.Options;

/// <summary>Outgoing mail (invitations, password resets). Without a host, nothing is sent and owners copy links by hand.</summary>
public sealed class SmtpOptions : IValidatableObject
{
    public const string SectionName = "Smtp";

    public string? Host { get; set; }

    [Range(1, 65535, ErrorMessage = "Smtp:Port must be between 1 and 65535.")]
    public int Port { get; set; } = 587;

    /// <summary>Sender address, e.g. "AdIntel &lt;adintel@example.com&gt;" or "adintel@example.com".</summary>
    public string? From { get; set; }

    public string? UserName { get; set; }

    /// <summary>From user secrets or the environment (Smtp__Password), never appsettings.json.</summary>
    public string? Password { get; set; }

    /// <summary>Auto (STARTTLS when offered), StartTls, SslOnConnect or None.</summary>
    [RegularExpression("^(Auto|StartTls|SslOnConnect|None)$", ErrorMessage = "Smtp:Security must be Auto, StartTls, SslOnConnect or None.")]
    public string Security { get; set; } = "Auto";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsConfigured)
        {
            yield break;
        }
        if (string.IsNullOrWhiteSpace(From) || !MimeKit.MailboxAddress.TryParse(From, out _))
        {
            yield return new ValidationResult("Smtp:From must be a valid sender address when Smtp:Host is set.", [nameof(From)]);
        }
        if (string.IsNullOrEmpty(UserName) != string.IsNullOrEmpty(Password))
        {
            yield return new ValidationResult("Smtp:UserName and Smtp:Password must be set together.", [nameof(UserName)]);
        }
    }
}
