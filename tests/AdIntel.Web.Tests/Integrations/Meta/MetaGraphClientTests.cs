using AdIntel.Fakes;
using AdIntel.Fakes.Meta;
using AdIntel.Web.Integrations.Meta;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Tests.Integrations.Meta;

/// <summary>The Graph API client against the fake Graph API over real HTTP on 127.0.0.1, with and without injected faults.</summary>
public sealed class MetaGraphClientTests
{
    private static readonly DateOnly LastDay = new(2026, 10, 31);

    private static MetaGraphClient Client(FakeServer server, string? appSecret = null) => new(
        new HttpClient(),
        Options.Create(new MetaOptions
        {
            GraphBaseUrl = server.MetaBaseUrl, AppId = server.Meta.AppId, AppSecret = appSecret ?? server.Meta.AppSecret,
            RetryBaseDelay = TimeSpan.FromMilliseconds(5), MaxRetries = 12, RequestTimeout = TimeSpan.FromMilliseconds(400), PageSize = 25,
        }),
        TimeProvider.System,
        NullLogger<MetaGraphClient>.Instance);

    private static string Token(FakeServer server) => server.Meta.IssueToken(TimeSpan.FromDays(60), DateTimeOffset.UtcNow);

    [Fact]
    public async Task Near_its_usage_limit_the_client_pauses_between_calls_instead_of_running_into_throttling()
    {
        await using var server = await FakeServer.StartAsync(meta: FakeMetaSample.Create(LastDay, days: 2));
        server.Meta.UsagePercent = 95;
        var client = new MetaGraphClient(new HttpClient(), Options.Create(new MetaOptions
        {
            GraphBaseUrl = server.MetaBaseUrl, AppId = server.Meta.AppId, AppSecret = server.Meta.AppSecret, RetryBaseDelay = TimeSpan.FromMilliseconds(300),
        }), TimeProvider.System, NullLogger<MetaGraphClient>.Instance);
        var token = Token(server);
        var started = System.Diagnostics.Stopwatch.StartNew();

        await client.GetAdAccountsAsync(token, CancellationToken.None);
        await client.GetAdAccountsAsync(token, CancellationToken.None);

        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(600), $"two calls at 95% usage took {started.ElapsedMilliseconds} ms; each should pause 300 ms");
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.2)]
    public async Task Sync_reads_every_object_and_exact_insight_totals_even_with_injected_faults(double faultRate)
    {
        await using var server = await FakeServer.StartAsync(meta: FakeMetaSample.Create(LastDay, days: 30));
        server.Meta.Faults.Rate = faultRate;
        server.Meta.Faults.IncludeSlow = true;
        server.Meta.Faults.SlowDelay = TimeSpan.FromSeconds(1);
        var client = Client(server);
        var token = Token(server);

        var accounts = await client.GetAdAccountsAsync(token, CancellationToken.None);
        var account = Assert.Single(accounts);
        var campaigns = await client.GetObjectsAsync(token, account.AccountId, "campaigns", CancellationToken.None);
        var adSets = await client.GetObjectsAsync(token, account.AccountId, "adsets", CancellationToken.None);
        var ads = await client.GetObjectsAsync(token, account.AccountId, "ads", CancellationToken.None);
        var insights = await client.GetDailyInsightsAsync(token, account.AccountId, LastDay.AddDays(-29), LastDay, CancellationToken.None);

        var fake = server.Meta;
        Assert.Equal(fake.Objects.Where(o => o.Kind == "campaign").Select(o => o.Id).Order(), campaigns.Select(c => c.Id).Order());
        Assert.Equal(fake.Objects.Where(o => o.Kind == "adset").Select(o => (o.Id, o.DailyBudgetMinor)).Order(), adSets.Select(a => (a.Id, a.DailyBudgetMinor)).Order());
        Assert.Equal(fake.Objects.Where(o => o.Kind == "ad").Select(o => (o.Id, o.AdSetId)).Order(), ads.Select(a => (a.Id, a.AdSetId)).Order());
        Assert.Equal(fake.Insights.Count, insights.Count);
        Assert.Equal(fake.Insights.Sum(i => i.Spend), insights.Sum(i => i.Spend));
        Assert.Equal(fake.Insights.Sum(i => i.Impressions), insights.Sum(i => i.Impressions));
        Assert.Equal(fake.Insights.Sum(i => i.LinkClicks), insights.Sum(i => i.LinkClicks));
        // The fake reports each purchase under three action types; only one may be counted.
        Assert.Equal(fake.Insights.Sum(i => i.Purchases), insights.Sum(i => i.Purchases));
        Assert.Equal(fake.Insights.Sum(i => i.PurchaseValue), insights.Sum(i => i.PurchaseValue));
        if (faultRate > 0)
        {
            Assert.True(fake.Calls > 0);
        }
    }

    [Fact]
    public async Task Updates_set_status_and_budget_in_minor_units_and_arrive_once()
    {
        await using var server = await FakeServer.StartAsync(meta: FakeMetaSample.Create(LastDay, days: 3));
        server.Meta.Faults.Rate = 0.3;
        var client = Client(server);
        var token = Token(server);
        var adSet = server.Meta.Objects.First(o => o.Kind == "adset");

        await client.UpdateAsync(token, adSet.Id, "PAUSED", null, CancellationToken.None);
        await client.UpdateAsync(token, adSet.Id, null, 7550, CancellationToken.None);

        Assert.Equal("PAUSED", adSet.Status);
        Assert.Equal(7550, adSet.DailyBudgetMinor);
        Assert.Equal([("PAUSED", (long?)null), (null, 7550L)], server.Meta.Updates.Select(u => (u.Status, u.DailyBudgetMinor)).ToArray());
    }

    [Fact]
    public async Task A_wrong_app_secret_is_refused_by_meta_and_not_retried()
    {
        await using var server = await FakeServer.StartAsync(meta: FakeMetaSample.Create(LastDay, days: 3));
        var client = Client(server, appSecret: "not-the-secret");

        var error = await Assert.ThrowsAsync<MetaApiException>(() => client.GetAdAccountsAsync(Token(server), CancellationToken.None));

        Assert.Equal(100, error.Error.Code);
        Assert.Contains("appsecret_proof", error.Error.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Meta.Calls);
    }

    [Fact]
    public async Task An_expired_token_asks_the_store_to_reconnect()
    {
        await using var server = await FakeServer.StartAsync(meta: FakeMetaSample.Create(LastDay, days: 3));
        var expired = server.Meta.IssueToken(TimeSpan.FromMinutes(-1), DateTimeOffset.UtcNow);

        var error = await Assert.ThrowsAsync<MetaApiException>(() => Client(server).GetAdAccountsAsync(expired, CancellationToken.None));

        Assert.Equal(MetaErrorKind.InvalidToken, error.Error.Kind);
        Assert.Equal(463, error.Error.Subcode);
    }
}
