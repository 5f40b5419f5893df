using System.Collections.Concurrent;
using System.Text.Json;

namespace AdIntel.Web.Integrations.Shopify;

/// <summary>
/// What this process knows of each shop's leaky bucket of query cost (docs/integrations.md#rate-limits), from the
/// <c>extensions.cost.throttleStatus</c> of the last answer: the points available then, the maximum and the restore
/// rate. Before a call it waits until the bucket will have refilled enough to pay what the same query was charged
/// (requested) last time, or for a full bucket when the query was not charged yet, so a paced client is not throttled in
/// the first place. A singleton: every sync and webhook of a shop shares the one bucket Shopify keeps per app and shop.
/// </summary>
public sealed class ShopifyRateLimiter(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ShopBucket> _shops = new(StringComparer.Ordinal);

    private sealed class ShopBucket
    {
        public double Maximum;
        public double Available;
        public double RestoreRate;
        public DateTimeOffset At;
        public bool Known;
        public readonly ConcurrentDictionary<string, int> RequestedCosts = new(StringComparer.Ordinal);
    }

    /// <summary>Waits (without calling) until the shop's bucket can pay the query's last requested cost.</summary>
    public async Task WaitForCapacityAsync(string shop, string query, CancellationToken cancellationToken)
    {
        // Timers round to milliseconds and may fire a little early: check again until the estimate says it can pay.
        for (var wait = TimeUntilAffordable(shop, query); wait > TimeSpan.Zero; wait = TimeUntilAffordable(shop, query))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), time, cancellationToken);
        }
    }

    /// <summary>
    /// How long until the bucket holds the query's last requested cost (the whole bucket for a query not charged yet);
    /// zero when it does or nothing is known of the shop's bucket yet.
    /// </summary>
    public TimeSpan TimeUntilAffordable(string shop, string query)
    {
        if (!_shops.TryGetValue(shop, out var bucket))
        {
            return TimeSpan.Zero;
        }
        lock (bucket)
        {
            if (!bucket.Known || bucket.RestoreRate <= 0)
            {
                return TimeSpan.Zero;
            }
            // A query not charged yet could cost up to the whole bucket: it waits for a full one, once per query.
            var needed = bucket.RequestedCosts.TryGetValue(query, out var cost)
                ? Math.Min(cost, bucket.Maximum) + 1 - Estimate(bucket)
                : bucket.Maximum - Estimate(bucket);
            return needed <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(needed / bucket.RestoreRate);
        }
    }

    /// <summary>Records an answer's cost extension (requested cost of this query, bucket state now).</summary>
    public void Observe(string shop, string query, JsonElement cost)
    {
        var bucket = _shops.GetOrAdd(shop, _ => new ShopBucket());
        lock (bucket)
        {
            if (cost.TryGetProperty("requestedQueryCost", out var requested) && requested.TryGetInt32(out var requestedCost))
            {
                bucket.RequestedCosts[query] = requestedCost;
            }
            if (cost.TryGetProperty("throttleStatus", out var status)
                && status.TryGetProperty("currentlyAvailable", out var available) && available.TryGetDouble(out var availableValue)
                && status.TryGetProperty("maximumAvailable", out var maximum) && maximum.TryGetDouble(out var maximumValue)
                && status.TryGetProperty("restoreRate", out var rate) && rate.TryGetDouble(out var rateValue))
            {
                bucket.Available = availableValue;
                bucket.Maximum = maximumValue;
                bucket.RestoreRate = rateValue;
                bucket.At = time.GetUtcNow();
                bucket.Known = true;
            }
        }
    }

    /// <summary>After THROTTLED: (requested − available) / restore rate, at least a tenth of a second.</summary>
    public TimeSpan WaitAfterThrottle(string shop, string query)
    {
        var wait = TimeUntilAffordable(shop, query);
        return wait < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromSeconds(1) : wait;
    }

    private double Estimate(ShopBucket bucket) =>
        Math.Min(bucket.Maximum, bucket.Available + (time.GetUtcNow() - bucket.At).TotalSeconds * bucket.RestoreRate);
}
