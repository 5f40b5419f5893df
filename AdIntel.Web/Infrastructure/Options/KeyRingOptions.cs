using System.ComponentModel.DataAnnotations;

namespace AdIntel.Web.Infrastructure.Options;

/// <summary>
/// <c>DataProtection</c>: how the Data Protection key ring (stored in the database next to the Shopify and Meta
/// tokens it protects) is encrypted at rest. Without any of these a copy of the database is enough to decrypt the
/// tokens. With a certificate, new keys are encrypted with it; else with the secret. Old keys stay readable while
/// whatever encrypted them is still configured.
/// </summary>
public sealed class KeyRingOptions : IValidatableObject
{
    public const string SectionName = "DataProtection";

    /// <summary>A random secret of at least 32 characters (user secrets or DataProtection__KeyEncryptionSecret, never appsettings.json).</summary>
    public string? KeyEncryptionSecret { get; set; }

    /// <summary>A PFX file with the certificate (and its private key) that encrypts the key ring.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The PFX file's password (secret store or environment only).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Or: the thumbprint of a certificate in the current user's or the machine's "My" store.</summary>
    public string? CertificateThumbprint { get; set; }

    public const int MinimumSecretLength = 32;

    public bool HasCertificate => !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(CertificateThumbprint);

    public bool HasSecret => !string.IsNullOrEmpty(KeyEncryptionSecret);

    public bool IsConfigured => HasCertificate || HasSecret;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HasSecret && KeyEncryptionSecret!.Length < MinimumSecretLength)
        {
            yield return new ValidationResult(
                $"DataProtection:KeyEncryptionSecret must be at least {MinimumSecretLength} characters (a random value, e.g. openssl rand -base64 48).",
                [nameof(KeyEncryptionSecret)]);
        }
        if (!string.IsNullOrWhiteSpace(CertificatePath) && !string.IsNullOrWhiteSpace(CertificateThumbprint))
        {
            yield return new ValidationResult("Set DataProtection:CertificatePath or DataProtection:CertificateThumbprint, not both.", [nameof(CertificatePath)]);
        }
        if (!string.IsNullOrWhiteSpace(CertificatePath) && !File.Exists(CertificatePath))
        {
            yield return new ValidationResult($"DataProtection:CertificatePath: no file at {CertificatePath}.", [nameof(CertificatePath)]);
        }
    }
}
