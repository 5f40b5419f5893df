namespace AdIntel.Fakes.Meta;

/// <summary>Everything the fake Graph API holds: one app, its tokens, ad accounts with their objects and daily insights.</summary>
public sealed class FakeMetaState
{
    public string AppId { get; set; } = "1234567890";
    public string AppSecret { get; set; } = "fake-app-secret";
    /// <summary>Whether calls without a valid appsecret_proof are refused (the app setting "Require App Secret").</summary>
    public bool RequireAppSecretProof { get; set; } = true;
    /// <summary>Codes handed out by the OAuth dialog, exchanged once each.</summary>
    public Dictionary<string, string> PendingCodes { get; } = [];
    /// <summary>Valid access tokens and their expiry.</summary>
    public Dictionary<string, DateTimeOffset> Tokens { get; } = [];
    public List<FakeAdAccount> Accounts { get; } = [];
    public List<FakeMetaObject> Objects { get; } = [];
    public List<FakeInsightRow> Insights { get; } = [];
    public Dictionary<string, FakeReportRun> ReportRuns { get; } = [];
    /// <summary>Datasets (pixels) of the ad accounts, with their events and quality (see <see cref="FakeMetaDatasets"/>).</summary>
    public List<FakeDataset> Datasets { get; } = [];
    /// <summary>Every status or budget change received, in order (tests assert actions arrive exactly once).</summary>
    public List<FakeMetaUpdate> Updates { get; } = [];
    /// <summary>Meta's Ad Library: ads of any advertiser, searched with <c>GET /ads_archive</c>.</summary>
    public List<FakeArchivedAd> ArchivedAds { get; } = [];
    /// <summary>The next this many Ad Library calls are answered with the rate limit (code 613).</summary>
    public int ThrottleNextAdLibraryCalls { get; set; }
    /// <summary>Whether the token's person has not confirmed their identity for the Ad Library (code 10, subcode 2332002).</summary>
    public bool AdLibraryAccessDenied { get; set; }
    /// <summary>The query of every Ad Library call answered, throttled ones included.</summary>
    public List<Dictionary<string, string>> AdLibraryCalls { get; } = [];
    public FakeFaults Faults { get; } = new();
    /// <summary>Number of calls answered, by path, including faults.</summary>
    public int Calls { get; set; }
    /// <summary>The call_count share X-Business-Use-Case-Usage reports on successful answers (near 100: slow down).</summary>
    public int UsagePercent { get; set; } = 3;

    public string IssueToken(TimeSpan lifetime, DateTimeOffset now)
    {
        var token = "EAAfake" + Guid.NewGuid().ToString("N");
        Tokens[token] = now + lifetime;
        return token;
    }

    public FakeMetaObject? Find(string id) => Objects.FirstOrDefault(o => o.Id == id);
}

/// <summary>An ad in the Ad Library; <see cref="DeliveryStop"/> null while it runs.</summary>
public sealed record FakeArchivedAd(string Id, string PageId, string PageName, IReadOnlyList<string> Bodies, IReadOnlyList<string> LinkTitles,
    IReadOnlyList<string> Countries, DateOnly DeliveryStart, DateOnly? DeliveryStop, IReadOnlyList<string> Platforms, IReadOnlyList<string> Languages);

public sealed record FakeAdAccount(string AccountId, string Name, string Currency, string TimeZone);

/// <summary>A campaign, ad set or ad. Budgets are kept in minor units, as Meta speaks them.</summary>
public sealed class FakeMetaObject
{
    public required string Id { get; init; }
    public required string Kind { get; init; } // campaign, adset, ad
    public required string AccountId { get; init; }
    public required string Name { get; set; }
    public string? CampaignId { get; init; }
    public string? AdSetId { get; init; }
    public string Status { get; set; } = "ACTIVE";
    public long? DailyBudgetMinor { get; set; }
    public string Objective { get; init; } = "OUTCOME_SALES";
    public DateTimeOffset CreatedTime { get; init; }
    /// <summary>An ad's AdCreative node as Meta expands it in <c>ads?fields=creative{…}</c>; null for other kinds.</summary>
    public System.Text.Json.Nodes.JsonObject? Creative { get; set; }
}

public sealed record FakeInsightRow(string AdId, DateOnly Date, decimal Spend, long Impressions, long Reach, long Clicks, long LinkClicks,
    int Purchases, decimal PurchaseValue);

public sealed class FakeReportRun
{
    public required string Id { get; init; }
    public required string AccountId { get; init; }
    public required DateOnly Since { get; init; }
    public required DateOnly Until { get; init; }
    /// <summary>Polls still to answer "Job Running" before the run completes.</summary>
    public int PollsUntilDone { get; set; } = 2;
}

public sealed record FakeMetaUpdate(string ObjectId, string? Status, long? DailyBudgetMinor, DateTimeOffset At);

/// <summary>
/// Fault injection: a share of calls answered with throttling (HTTP 400, code 80004, usage at 100 %), a transient
/// error (HTTP 500, code 1), a malformed body, or a delay longer than the client's timeout. Deterministic per seed.
/// </summary>
public sealed class FakeFaults
{
    private Random _random = new(7);

    public double Rate { get; set; }
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(5);
    public bool IncludeSlow { get; set; }
    /// <summary>What a throttled answer puts in <c>estimated_time_to_regain_access</c> (minutes).</summary>
    public int ThrottleRegainMinutes { get; set; }
    /// <summary>The next this many updates are applied but answered with a 500, as when Meta's answer is lost on the way.</summary>
    public int LoseNextWriteAnswers { get; set; }

    public void Reseed(int seed) => _random = new Random(seed);

    public FakeFault Next()
    {
        lock (_random)
        {
            if (Rate <= 0 || _random.NextDouble() >= Rate)
            {
                return FakeFault.None;
            }
            var kinds = IncludeSlow ? 4 : 3;
            return (FakeFault)(1 + _random.Next(kinds));
        }
    }
}

public enum FakeFault
{
    None,
    Throttled,
    ServerError,
    MalformedBody,
    Slow,
}
