using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Options;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Infrastructure.Security;

/// <summary>
/// The Data Protection key ring: in the database, shared by every instance, and encrypted at rest when
/// <see cref="KeyRingOptions"/> names a certificate or a key-encryption secret, so a copy of the database alone does
/// not decrypt the integration tokens.
/// </summary>
public static class KeyRingProtection
{
    public const string ApplicationName = "AdIntel";

    public static void AddAdIntelDataProtection(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<KeyRingOptions>().BindConfiguration(KeyRingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var settings = builder.Configuration.GetSection(KeyRingOptions.SectionName).Get<KeyRingOptions>() ?? new KeyRingOptions();
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName(ApplicationName).PersistKeysToDbContext<AdIntelDbContext>();
        if (!string.IsNullOrWhiteSpace(settings.CertificatePath) && File.Exists(settings.CertificatePath))
        {
            dataProtection.ProtectKeysWithCertificate(X509CertificateLoader.LoadPkcs12FromFile(settings.CertificatePath, settings.CertificatePassword));
        }
        else if (!string.IsNullOrWhiteSpace(settings.CertificateThumbprint))
        {
            dataProtection.ProtectKeysWithCertificate(settings.CertificateThumbprint);
        }
        else if (settings.HasSecret && settings.KeyEncryptionSecret!.Length >= KeyRingOptions.MinimumSecretLength)
        {
            builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(new ConfigureOptions<KeyManagementOptions>(o =>
                o.XmlEncryptor = new SecretXmlEncryptor(SecretXmlEncryptor.DeriveKey(settings.KeyEncryptionSecret))));
        }
        if (!settings.IsConfigured && builder.Environment.IsProduction())
        {
            builder.Services.AddHostedService<UnencryptedKeyRingWarning>();
        }
    }

    /// <summary>One start-up warning in production when the key ring lies in the database unencrypted.</summary>
    private sealed class UnencryptedKeyRingWarning(ILoggerFactory loggers) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            loggers.CreateLogger("AdIntel.Startup").LogWarning(
                "The Data Protection key ring is stored unencrypted in the database, next to the Shopify and Meta tokens it protects: a copy of the database "
                + "is enough to decrypt them. Set DataProtection:KeyEncryptionSecret (or DataProtection:CertificatePath / DataProtection:CertificateThumbprint).");
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

/// <summary>
/// Encrypts each Data Protection key with AES-256-GCM under a key derived (HKDF-SHA256) from
/// <c>DataProtection:KeyEncryptionSecret</c>. The stored element names <see cref="SecretXmlDecryptor"/>, which finds the
/// secret in the options again when the key is read.
/// </summary>
public sealed class SecretXmlEncryptor(byte[] key) : IXmlEncryptor
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] Purpose = "AdIntel.DataProtection.KeyEncryption.v1"u8.ToArray();

    /// <summary>The AES key for a secret; the secret must be random and long (see <see cref="KeyRingOptions"/>), so HKDF suffices.</summary>
    public static byte[] DeriveKey(string secret) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret), 32, salt: [], info: Purpose);

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedKey = new byte[NonceSize + plaintext.Length + TagSize];
        var nonce = sealedKey.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Encrypt(nonce, plaintext, sealedKey.AsSpan(NonceSize, plaintext.Length), sealedKey.AsSpan(NonceSize + plaintext.Length), Purpose);
        }
        var element = new XElement("encryptedKey",
            new XComment(" Encrypted with DataProtection:KeyEncryptionSecret (AES-256-GCM, key from HKDF-SHA256). "),
            new XElement("value", Convert.ToBase64String(sealedKey)));
        return new EncryptedXmlInfo(element, typeof(SecretXmlDecryptor));
    }

    internal static XElement Decrypt(XElement encryptedElement, byte[] key)
    {
        var sealedKey = Convert.FromBase64String((string?)encryptedElement.Element("value") ?? "");
        if (sealedKey.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The encrypted Data Protection key is malformed.");
        }
        var plaintext = new byte[sealedKey.Length - NonceSize - TagSize];
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Decrypt(sealedKey.AsSpan(0, NonceSize), sealedKey.AsSpan(NonceSize, plaintext.Length), sealedKey.AsSpan(NonceSize + plaintext.Length), plaintext, Purpose);
        }
        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}

/// <summary>Reads keys <see cref="SecretXmlEncryptor"/> wrote (Data Protection creates it with the app's services).</summary>
public sealed class SecretXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var secret = services.GetService<IOptions<KeyRingOptions>>()?.Value.KeyEncryptionSecret;
        if (string.IsNullOrEmpty(secret))
        {
            throw new CryptographicException("This Data Protection key is encrypted with DataProtection:KeyEncryptionSecret, which is not set.");
        }
        return SecretXmlEncryptor.Decrypt(encryptedElement, SecretXmlEncryptor.DeriveKey(secret));
    }
}
