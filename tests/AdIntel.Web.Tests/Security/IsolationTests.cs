using System.Net;
using Xunit.Abstractions;

namespace AdIntel.Web.Tests.Security;

/// <summary>
/// Walks every route the app serves (pages and their handlers, the API, the jobs dashboard) as the owner of store B,
/// with each id of store A: routes that act on an id must refuse it (403/404), and no answer to any request may
/// contain anything of store A, nor may any request change store A.
/// </summary>
[Collection(LocalAppCollection.Name)]
public sealed class IsolationTests(AppFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Owner_of_store_B_gets_nothing_of_store_A_on_any_route(string provider)
    {
        await using var app = await fixture.StartLocalAsync(provider);
        var stores = await TwoStores.CreateAsync(app);
        var before = await stores.SnapshotAAsync();
        var foreignIds = await stores.ForeignIdsAsync();
        var routes = await EndpointCatalog.ListAsync(app.App.Services);
        var walker = new RouteWalker(stores.BrowserB, stores.ApiB);
        var problems = new List<string>();
        var requests = 0;
        var refusalChecks = 0;

        // Signing out would end the walk's session; everything else is walked.
        foreach (var route in routes.Where(r => !(r.Path == "/account/sign-out" && r.IsUnsafe)))
        {
            var idInputs = route.Inputs.Where(i => i.IsId).ToList();
            var mustRefuse = !route.AllowsAnonymous && idInputs.Any(i => i.Source != InputSource.OptionalQuery);
            IReadOnlyList<long?> candidates = idInputs.Count == 0 ? [null] : [.. foreignIds.Select(id => (long?)id)];
            foreach (var (caller, send) in walker.Callers(route))
            {
                foreach (var id in candidates)
                {
                    var values = RouteWalker.Values(route, id);
                    requests++;
                    HttpResponseMessage response;
                    try
                    {
                        response = await send(route, values);
                    }
                    catch (HttpRequestException e)
                    {
                        problems.Add($"{caller}: {route.Method} {route.Url(values)} failed: {e.InnerException?.InnerException?.Message ?? e.Message}");
                        continue;
                    }
                    using var _ = response;
                    var body = await response.Content.ReadAsStringAsync();
                    var where = $"{caller}: {route.Method} {route.Url(values)} → {(int)response.StatusCode}";
                    if ((int)response.StatusCode >= 500 || response.Headers.Location?.OriginalString.StartsWith("/Error?status=5", StringComparison.Ordinal) == true)
                    {
                        problems.Add(where + " server error");
                    }
                    if (body.Contains(stores.Marker, StringComparison.OrdinalIgnoreCase))
                    {
                        problems.Add(where + " LEAKS store A");
                    }
                    if (mustRefuse)
                    {
                        refusalChecks++;
                        if (!RouteWalker.IsRefused(response))
                        {
                            problems.Add(where + " not refused");
                        }
                    }
                }
            }
        }

        output.WriteLine($"{routes.Count} routes, {foreignIds.Count} foreign ids, {requests} requests, {refusalChecks} must-refuse checks, {problems.Count} problems");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.Equal(before, await stores.SnapshotAAsync());
        // The walk ran signed in all along (a lost session would make every answer a harmless redirect).
        Assert.Equal(HttpStatusCode.OK, (await stores.BrowserB.GetAsync("/settings/members")).StatusCode);
        // Every route was called, and the routes that take ids (pages, handlers, API) were all tried with A's.
        Assert.True(requests >= routes.Count - 1, $"only {requests} requests for {routes.Count} routes");
        Assert.True(refusalChecks >= 10, $"only {refusalChecks} routes act on ids");
    }
}
