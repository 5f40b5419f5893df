using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Integrations.Meta;

/// <summary>The current store's Meta connection and its decrypted token, for the code that calls Meta on its behalf.</summary>
public sealed class MetaConnections(AdIntelDbContext db, IntegrationTokenProtector protector)
{
    /// <summary>The prefix Meta puts before an ad account's number in paths ("act_123").</summary>
    public const string AccountPrefix = "act_";

    public Task<IntegrationConnection?> GetAsync(CancellationToken cancellationToken) =>
        db.IntegrationConnections.SingleOrDefaultAsync(c => c.Provider == IntegrationProviders.Meta, cancellationToken);

    /// <summary>The token and chosen ad account (its number, without "act_") of a usable connection; null otherwise.</summary>
    public async Task<MetaCredentials?> CredentialsAsync(CancellationToken cancellationToken) =>
        Credentials(await GetAsync(cancellationToken));

    public MetaCredentials? Credentials(IntegrationConnection? connection) =>
        connection is { Status: IntegrationStatuses.Connected or IntegrationStatuses.Error } && connection.ExternalAccountId.StartsWith(AccountPrefix, StringComparison.Ordinal)
            && protector.Unprotect(connection.EncryptedAccessToken) is { } token
            ? new MetaCredentials(token, connection.ExternalAccountId[AccountPrefix.Length..])
            : null;
}

/// <summary>What a Graph API call for a store needs. Never logged.</summary>
public sealed record MetaCredentials(string AccessToken, string AccountId)
{
    public override string ToString() => $"MetaCredentials(act_{AccountId})";
}

/// <summary>Meta budgets are integers in the account currency's minor unit ("offset" 100, or 1 for currencies without cents).</summary>
public static class MetaMoney
{
    // Meta's currencies with offset 1 (no minor unit in its API).
    private static readonly HashSet<string> WholeUnitCurrencies = new(StringComparer.OrdinalIgnoreCase)
        { "CLP", "COP", "CRC", "HUF", "ISK", "IDR", "JPY", "KRW", "PYG", "TWD", "VND" };

    public static long ToMinor(decimal amount, string currency) =>
        (long)Math.Round(amount * Offset(currency), MidpointRounding.AwayFromZero);

    public static decimal FromMinor(long minor, string currency) => (decimal)minor / Offset(currency);

    private static int Offset(string currency) => WholeUnitCurrencies.Contains(currency) ? 1 : 100;
}
