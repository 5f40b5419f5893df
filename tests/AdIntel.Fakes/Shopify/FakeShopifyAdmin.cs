using AdIntel.Fakes.Meta;

namespace AdIntel.Fakes.Shopify;

/// <summary>
/// The fake Admin API's state beside OAuth's: each shop's data, its leaky bucket, its bulk operations, injected faults
/// and a log of every call (tests check that the client never called while the bucket was empty).
/// </summary>
public sealed class FakeShopifyAdmin
{
    private readonly Dictionary<string, FakeShopifyCatalog> _catalogs = [];
    private readonly Dictionary<string, FakeShopifyBucket> _buckets = [];

    /// <summary>Bucket size (2000 points on the Standard plan).</summary>
    public double BucketMaximum { get; set; } = 2000;
    /// <summary>Points restored per second (Standard plan: 100).</summary>
    public double RestoreRate { get; set; } = 100;
    /// <summary>Shopify's single-query limit.</summary>
    public int MaxQueryCost { get; set; } = 1000;
    /// <summary>Answer an empty bucket with HTTP 429 instead of the documented HTTP 200 + THROTTLED (both are seen).</summary>
    public bool ThrottleWithHttp429 { get; set; }
    /// <summary>Polls of a bulk operation answered RUNNING before it may report COMPLETED.</summary>
    public int BulkPollsUntilDone { get; set; } = 2;
    /// <summary>Write a shop's bulk results with every child row at the end instead of after its parent (Shopify does not promise the order).</summary>
    public bool BulkChildrenLast { get; set; }

    /// <summary>When set, bulk result downloads stop after this many rows until <see cref="ReleaseDownloads"/> (tests stop a sync mid-file).</summary>
    public int? PauseDownloadAfterRows { get; set; }

    private readonly TaskCompletionSource _downloadsReleased = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal Task DownloadsReleased => _downloadsReleased.Task;

    /// <summary>Lets paused downloads go on, and stops pausing new ones.</summary>
    public void ReleaseDownloads()
    {
        PauseDownloadAfterRows = null;
        _downloadsReleased.TrySetResult();
    }

    /// <summary>
    /// Injected faults on Admin API calls and bulk downloads (share, seed): throttling (THROTTLED or HTTP 429 with
    /// Retry-After, alternately), server errors (500/502/503), a truncated JSON body, or a slow answer.
    /// </summary>
    public FakeFaults Faults { get; } = new();

    public List<FakeShopifyCall> Calls { get; } = [];
    public Dictionary<string, FakeBulkOperation> BulkOperations { get; } = [];

    /// <summary>Calls that found the bucket too empty for their cost (injected faults excluded).</summary>
    public int ThrottledCalls
    {
        get
        {
            lock (Calls)
            {
                return Calls.Count(c => c.Outcome == "throttled");
            }
        }
    }

    /// <summary>Gives <paramref name="shop"/> its data (replacing any before).</summary>
    public FakeShopifyCatalog Seed(string shop, FakeShopifyCatalog catalog)
    {
        lock (_catalogs)
        {
            _catalogs[shop] = catalog;
        }
        return catalog;
    }

    /// <summary>Makes the data of a shop nobody seeded, on its first call (empty unless set; the standalone fake generates a shop).</summary>
    public Func<string, FakeShopifyCatalog>? CatalogFactory { get; set; }

    public FakeShopifyCatalog Catalog(string shop)
    {
        lock (_catalogs)
        {
            if (!_catalogs.TryGetValue(shop, out var catalog))
            {
                catalog = CatalogFactory?.Invoke(shop) ?? new FakeShopifyCatalog();
                _catalogs[shop] = catalog;
            }
            return catalog;
        }
    }

    public FakeShopifyBucket Bucket(string shop, DateTimeOffset now)
    {
        lock (_buckets)
        {
            if (!_buckets.TryGetValue(shop, out var bucket))
            {
                bucket = new FakeShopifyBucket(BucketMaximum, RestoreRate, now);
                _buckets[shop] = bucket;
            }
            return bucket;
        }
    }

    /// <summary>Removes the bulk operations' result files from the temp folder.</summary>
    public void DeleteBulkFiles()
    {
        lock (BulkOperations)
        {
            foreach (var operation in BulkOperations.Values)
            {
                lock (operation)
                {
                    if (operation.FilePath is { } path)
                    {
                        File.Delete(path);
                    }
                }
            }
        }
    }

    internal void Log(FakeShopifyCall call)
    {
        lock (Calls)
        {
            Calls.Add(call);
        }
    }
}

/// <summary>
/// The leaky bucket of calculated query cost: a query reserves its requested cost up front and gets the
/// difference to its actual cost back; the bucket refills at the restore rate up to its maximum.
/// </summary>
public sealed class FakeShopifyBucket(double maximum, double restoreRate, DateTimeOffset now)
{
    private double _available = maximum;
    private DateTimeOffset _at = now;

    public double Maximum { get; } = maximum;
    public double RestoreRate { get; } = restoreRate;

    public double Available(DateTimeOffset now)
    {
        lock (this)
        {
            Refill(now);
            return _available;
        }
    }

    /// <summary>Takes <paramref name="cost"/> when it is available; the points left either way.</summary>
    public bool TryTake(double cost, DateTimeOffset now, out double left)
    {
        lock (this)
        {
            Refill(now);
            var taken = _available >= cost;
            if (taken)
            {
                _available -= cost;
            }
            left = _available;
            return taken;
        }
    }

    public double Refund(double points, DateTimeOffset now)
    {
        lock (this)
        {
            Refill(now);
            _available = Math.Min(Maximum, _available + points);
            return _available;
        }
    }

    private void Refill(DateTimeOffset now)
    {
        if (now > _at)
        {
            _available = Math.Min(Maximum, _available + (now - _at).TotalSeconds * RestoreRate);
            _at = now;
        }
    }
}

/// <summary>
/// One Admin API call: when, what it asked for (root field), its cost, the points available before it and after it
/// (once its actual cost was charged; NaN when it was not answered with data), and how it was answered.
/// </summary>
public sealed record FakeShopifyCall(DateTimeOffset At, string Shop, string Root, int RequestedCost, double AvailableBefore, string Outcome,
    double AvailableAfter = double.NaN);

public sealed class FakeBulkOperation
{
    public required string Id { get; init; }
    public required string Shop { get; init; }
    public required string Query { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    /// <summary>A secret in the download URL: the result is served without Shopify auth, like a signed storage URL.</summary>
    public required string DownloadToken { get; init; }
    public string Status { get; set; } = "CREATED";
    public DateTimeOffset? CompletedAt { get; set; }
    public long ObjectCount { get; set; }
    public long RootObjectCount { get; set; }
    public long FileSize { get; set; }
    public string? FilePath { get; set; }
    /// <summary>Where the result is downloaded (this fake's host), once completed.</summary>
    public string? Url { get; set; }
    public string? ErrorCode { get; set; }
    public int Polls { get; set; }
    public bool Generated { get; set; }
    /// <summary>How long the fake took to write the result file (benchmarks subtract it: Shopify does this work, not the client).</summary>
    public TimeSpan GenerationTime { get; set; }
}
