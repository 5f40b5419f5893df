using System.Net;
using System.Text;
using AdIntel.Web.Domain;
using Xunit.Abstractions;

namespace AdIntel.Web.Tests.Security;

/// <summary>
/// Every state-changing request a browser session can make (page form and htmx handlers, the API on the session, the
/// jobs dashboard) is refused without a valid antiforgery token — as the installation's administrator and owner, so
/// no role check hides a missing antiforgery check — and nothing changes.
/// </summary>
[Collection(LocalAppCollection.Name)]
public sealed class AntiforgeryWalkTests(AppFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_post_without_a_valid_token_is_refused_and_changes_nothing()
    {
        await using var app = await fixture.StartLocalAsync(AppFixture.Sqlite);
        var storeId = await app.CreateStoreAsync();
        var administrator = await app.CreateAccountAsync("csrf-admin@adintel.test", LocalApp.Password, administrator: true);
        await app.AddMembershipAsync(storeId, administrator, StoreRole.Owner);
        var other = await app.CreateMemberAsync(storeId, StoreRole.Viewer);
        var browser = await app.SignInAsync(administrator.Email!);
        var stores = await TwoStores.CreateAsync(app);
        var before = await stores.SnapshotAsync(storeId);
        var routes = (await EndpointCatalog.ListAsync(app.App.Services)).Where(r => r.IsUnsafe && !(r.IsApi && r.AllowsAnonymous)).ToList();
        // The dashboard's own forms post to paths under /jobs (its endpoint is registered for every method).
        routes.Add(new AppRoute("POST", "/jobs/recurring/trigger", null, [], IsPage: false, AllowsAnonymous: false, []));
        routes.Add(new AppRoute("POST", "/jobs/jobs/enqueued/delete", null, [], IsPage: false, AllowsAnonymous: false, []));

        var problems = new List<string>();
        foreach (var route in routes)
        {
            var values = RouteWalker.Values(route, other.MemberId);
            foreach (var (kind, token) in new[] { ("no token", (string?)null), ("forged token", "CfDJ8AAAAforgedAAAA") })
            {
                using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Url(values));
                if (route.IsApi)
                {
                    request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                    if (token is not null)
                    {
                        request.Headers.Add("RequestVerificationToken", token);
                    }
                }
                else
                {
                    var fields = new List<KeyValuePair<string, string>> { new("Input.Name", "csrf"), new("jobs[]", "x"), new("storeId", TwoStores.Id(stores.StoreA)) };
                    if (token is not null)
                    {
                        fields.Add(new("__RequestVerificationToken", token));
                    }
                    request.Content = new FormUrlEncodedContent(fields);
                }
                using var response = await browser.Client.SendAsync(request);
                if (response.StatusCode is not (HttpStatusCode.BadRequest or HttpStatusCode.Forbidden))
                {
                    problems.Add($"{route} ({kind}) → {(int)response.StatusCode} {response.Headers.Location}");
                }
            }
        }

        output.WriteLine($"{routes.Count} state-changing routes, {routes.Count * 2} requests, {problems.Count} accepted");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.Equal(before, await stores.SnapshotAsync(storeId));
        Assert.True(routes.Count >= 15, $"{routes.Count} routes");
        // Still signed in: sign-out without a token was refused too.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/settings/members")).StatusCode);
    }
}
