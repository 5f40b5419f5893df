using System.Threading.RateLimiting;
using AdIntel.Web.Infrastructure.Options;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Infrastructure.Security;

/// <summary>
/// Platform webhooks are limited in two budgets, charged only once the signature is judged: a delivery whose HMAC
/// fails uses up its client address's budget (Security:ApiPermitsPerMinute), a genuine one its shop's (ten times that:
/// a bulk edit in Shopify fires thousands of orders/updated at once). The shop named in an unsigned request is
/// anyone's word, so forgeries naming a shop can never spend that shop's budget and lock its genuine webhooks out.
/// </summary>
public sealed class WebhookRateLimits(IOptionsMonitor<SecurityOptions> options) : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly PartitionedRateLimiter<string> _unsigned = PartitionedRateLimiter.Create<string, string>(address =>
        PerMinute(address, options.CurrentValue.ApiPermitsPerMinute));

    private readonly PartitionedRateLimiter<string> _shops = PartitionedRateLimiter.Create<string, string>(shop =>
        PerMinute(shop, options.CurrentValue.ApiPermitsPerMinute * 10));

    /// <summary>Whether <paramref name="address"/> has used up its budget of failed signatures (refused before its body is read).</summary>
    public bool IsAddressBlocked(string address) => _unsigned.GetStatistics(address)?.CurrentAvailablePermits <= 0;

    /// <summary>Charges a delivery whose signature failed to its address; false when the address is over its budget.</summary>
    public bool TryChargeUnsigned(string address)
    {
        using var lease = _unsigned.AttemptAcquire(address);
        return lease.IsAcquired;
    }

    /// <summary>Charges a verified delivery to its shop; false when the shop is over its budget.</summary>
    public bool TryChargeShop(string shop)
    {
        using var lease = _shops.AttemptAcquire(shop);
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        _unsigned.Dispose();
        _shops.Dispose();
    }

    private static RateLimitPartition<string> PerMinute(string key, int permits) =>
        RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}
