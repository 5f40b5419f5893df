using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using AdIntel.Web.Infrastructure.Options;
using AdIntel.Web.Infrastructure.Security;
using AdIntel.Web.Integrations;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Tests.Security;

/// <summary>
/// The Data Protection key ring lives in the database next to the integration tokens it protects; with a
/// key-encryption secret a copy of the database alone no longer decrypts them.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class KeyRingProtectionTests(AppFixture fixture)
{
    private const string Secret = "k3y-encryption-secret-for-tests-only-0123456789";
    private const string Token = "shpat_0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("secret")]
    [InlineData("certificate")]
    public async Task Copied_database_alone_cannot_decrypt_a_token_when_the_key_ring_is_encrypted_while_the_app_with_the_key_can(string protectedWith)
    {
        using var certificate = SelfSignedCertificate();
        var pfx = Path.Combine(fixture.TempDirectory, "keyring-" + Guid.NewGuid().ToString("N")[..8] + ".pfx");
        await File.WriteAllBytesAsync(pfx, certificate.Export(X509ContentType.Pfx, "pfx password"));
        var settings = protectedWith == "secret"
            ? new Dictionary<string, string?> { ["DataProtection:KeyEncryptionSecret"] = Secret }
            : new Dictionary<string, string?> { ["DataProtection:CertificatePath"] = pfx, ["DataProtection:CertificatePassword"] = "pfx password" };
        await using var app = await fixture.StartAppAsync(AppFixture.Sqlite, settings);
        var protector = app.Services.GetRequiredService<IntegrationTokenProtector>();
        var stored = protector.Protect(Token);
        var keyRows = await app.WithDbAsync(null, db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml!).ToListAsync());

        Assert.Equal(Token, protector.Unprotect(stored));
        Assert.NotEmpty(keyRows);
        Assert.All(keyRows, xml => Assert.Contains(protectedWith == "secret" ? nameof(SecretXmlDecryptor) : "EncryptedXmlDecryptor", xml, StringComparison.Ordinal));
        Assert.Null(CopiedDatabase(keyRows).Unprotect(stored));
        if (protectedWith == "secret")
        {
            Assert.Null(CopiedDatabase(keyRows, secret: Secret.Replace('0', '1')).Unprotect(stored));
            Assert.Equal(Token, CopiedDatabase(keyRows, secret: Secret).Unprotect(stored));
        }
        else
        {
            Assert.Equal(Token, CopiedDatabase(keyRows, certificate: certificate).Unprotect(stored));
        }
    }

    [Fact]
    public async Task Without_key_encryption_a_copied_database_decrypts_the_tokens()
    {
        var keyRows = await fixture.SqliteApp.WithDbAsync(null, db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml!).ToListAsync());
        var stored = fixture.SqliteApp.Services.GetRequiredService<IntegrationTokenProtector>().Protect(Token);

        Assert.Equal(Token, CopiedDatabase(keyRows).Unprotect(stored));
    }

    [Fact]
    public async Task Production_without_key_encryption_warns_once_at_start_naming_the_setting()
    {
        var logs = Path.Combine(fixture.TempDirectory, "logs-keyring-" + Guid.NewGuid().ToString("N")[..8]);
        await using (var app = await fixture.StartAppAsync(AppFixture.Sqlite, new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["Logging:Directory"] = logs,
        }))
        {
            using var client = app.CreateClient();
            await client.GetAsync("/api/health/live");
        }

        var text = string.Concat(Directory.GetFiles(logs, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.Equal(1, text.Split("Set DataProtection:KeyEncryptionSecret").Length - 1);
    }

    [Fact]
    public void Key_encryption_secret_shorter_than_32_characters_is_refused()
    {
        var problems = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        var options = new KeyRingOptions { KeyEncryptionSecret = "short" };

        Assert.False(System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), problems, validateAllProperties: true));
        Assert.Contains("DataProtection:KeyEncryptionSecret", Assert.Single(problems).ErrorMessage, StringComparison.Ordinal);
    }

    /// <summary>
    /// What someone holding a copy of the database has: the app's code and its key rows, read by a fresh Data
    /// Protection provider of the same application name, with the secret or the certificate only if they also have it.
    /// </summary>
    private static IntegrationTokenProtector CopiedDatabase(IReadOnlyList<string> keyRows, string? secret = null, X509Certificate2? certificate = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var dataProtection = services.AddDataProtection().SetApplicationName(KeyRingProtection.ApplicationName).DisableAutomaticKeyGeneration();
        if (certificate is not null)
        {
            dataProtection.UnprotectKeysWithAnyCertificate(certificate);
        }
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new CopiedKeyRows(keyRows)));
        services.AddOptions<KeyRingOptions>().Configure(o => o.KeyEncryptionSecret = secret);
        return new IntegrationTokenProtector(services.BuildServiceProvider().GetRequiredService<IDataProtectionProvider>());
    }

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=AdIntel key ring (tests)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    }

    private sealed class CopiedKeyRows(IReadOnlyList<string> rows) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements() => [.. rows.Select(XElement.Parse)];

        public void StoreElement(XElement element, string friendlyName) => throw new InvalidOperationException("A copied database is only read.");
    }
}
