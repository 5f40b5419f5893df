using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net.Http.Headers;
using AdIntel.Web.Demo;
using AdIntel.Web.Infrastructure.Caching;
using AdIntel.Web.Infrastructure.Options;
using Microsoft.Extensions.DependencyInjection;
using static AdIntel.Web.Tests.Imports.ImportTestFiles;

namespace AdIntel.Web.Tests.Infrastructure;

/// <summary>
/// Right after a restart every per-store cache is cold. A burst of requests on one store must build each cached value
/// once and have the others wait for it, not read every order once per request.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class StoreCacheTests(AppFixture fixture)
{
    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Twenty_concurrent_requests_on_a_cold_store_fill_each_cache_once(string provider)
    {
        var data = DemoStoreGenerator.Generate(new DemoOptions { Seed = 12, Orders = 600, Months = 2 }, new DateOnly(2026, 11, 25));
        await using var text = new StringWriter(CultureInfo.InvariantCulture);
        await DemoCsvWriter.WriteShopifyOrdersAsync(data, text, CancellationToken.None);
        var warm = await fixture.StartAppAsync(provider, new Dictionary<string, string?>());
        var store = await warm.CreateStoreAsync(timeZone: data.TimeZoneId);
        await ImportAsync(store.Api, "/api/import/shopify-orders", text.ToString());
        await warm.DisposeAsync();

        await using var cold = AppFixture.Restart(warm);
        var fills = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        using var listener = ListenToFills(cold, fills);
        using var api = cold.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", store.Token);
        var range = $"from={data.FirstDay:yyyy-MM-dd}&to={data.LastDay:yyyy-MM-dd}";

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => api.GetAsync(i % 2 == 0 ? "/api/overview?" + range : "/?" + range)));

        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, $"{r.RequestMessage?.RequestUri}: {(int)r.StatusCode}"));
        Assert.Contains("LtvCurveProvider", fills.Keys);
        Assert.All(fills, fill => Assert.True(fill.Value == 1, $"{fill.Key} was filled {fill.Value} times."));
    }

    [Fact]
    public async Task A_cancelled_waiter_does_not_cancel_the_fill_and_a_failed_fill_is_not_kept()
    {
        var cache = fixture.SqliteApp.Services.GetRequiredService<StoreCache>();
        var key = new StoreCacheKey(nameof(StoreCacheTests), StoreId: -1, Guid.NewGuid());
        var release = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var builds = 0;
        Task<string> Build(IServiceProvider services, CancellationToken ct) { Interlocked.Increment(ref builds); return release.Task; }

        using var gaveUp = new CancellationTokenSource();
        var first = cache.GetOrBuildAsync(key, 1, Build, TimeSpan.FromMinutes(1), gaveUp.Token);
        var second = cache.GetOrBuildAsync(key, 1, Build, TimeSpan.FromMinutes(1), CancellationToken.None);
        await gaveUp.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        release.SetResult("built");
        Assert.Equal("built", await second);
        Assert.Equal("built", await cache.GetOrBuildAsync(key, 1, Build, TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal(1, builds);

        var failingKey = key with { Variant = Guid.NewGuid() };
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            cache.GetOrBuildAsync<string>(failingKey, 1, (_, _) => throw new InvalidOperationException("database gone"), TimeSpan.FromMinutes(1), CancellationToken.None));
        Assert.Equal("retried", await cache.GetOrBuildAsync(failingKey, 1, (_, _) => Task.FromResult("retried"), TimeSpan.FromMinutes(1), CancellationToken.None));
    }

    /// <summary>Counts the fills the host's caches report through its own meter factory (other hosts in this process are ignored).</summary>
    private static MeterListener ListenToFills(AdIntelApp app, ConcurrentDictionary<string, int> fills)
    {
        var meters = app.Services.GetRequiredService<IMeterFactory>();
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == StoreCache.FillsInstrument)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "cache")
                {
                    fills.AddOrUpdate((string)tag.Value!, (int)value, (_, count) => count + (int)value);
                }
            }
        });
        listener.Start();
        return listener;
    }
}
