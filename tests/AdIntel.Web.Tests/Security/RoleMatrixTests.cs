using System.Net;
using System.Net.Http.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;

namespace AdIntel.Web.Tests.Security;

/// <summary>
/// Each role × each capability, enforced on the server: pages and their htmx/form handlers through a signed-in
/// browser, the API through tokens and through the browser session alike.
/// viewer: dashboards, campaigns, settings (read) · accountant: + reports, exports and product costs (read) · marketer:
/// + imports, cost settings and product costs, rules and actions · owner: + members, API tokens, audit log · installation administrator: + /jobs.
/// </summary>
[Collection(LocalAppCollection.Name)]
public sealed class RoleMatrixTests(AppFixture fixture)
{
    private static readonly SemaphoreSlim RosterLock = new(1, 1);
    private static Roster? _roster;

    public sealed record Capability(string Name, StoreRole MinimumRole, Func<Roster, StoreRole, Task<HttpResponseMessage>> Call);

    private static readonly (string, string)[] CostForm =
        [("Input.PaymentFeePercent", "2.9"), ("Input.PaymentFeeFixed", "0.3"), ("Input.ShippingCostPerOrder", "4"), ("Input.OtherMarketingCostPerMonth", "0")];

    private static readonly object CostBody = new { paymentFeePercent = 2.9, paymentFeeFixed = 0.3, shippingCostPerOrder = 4, otherMarketingCostPerMonth = 0 };

    private static readonly object RuleBody = new { name = "matrix", scope = "ad", expression = "spend_7d > 1", actions = new object[] { new { type = "notify" } } };

    private static readonly object AutomationBody = new
    {
        automationMode = "suggestions_only", killSwitch = false, maxBudgetChangePercentPerDay = 20, cooldownHours = 24, maxActionsPerRun = 10,
        maxActionsPerDay = 30, minSpend = 50, minImpressions = 1000, minPurchasesForScaleUp = 3, trackingBreakerEnabled = true, trackingDropPercent = 50,
    };

    private static readonly Capability[] Capabilities =
    [
        new("overview page", StoreRole.Viewer, (r, role) => r.Browsers[role].GetAsync("/")),
        new("campaigns page", StoreRole.Viewer, (r, role) => r.Browsers[role].GetAsync("/campaigns")),
        new("settings page", StoreRole.Viewer, (r, role) => r.Browsers[role].GetAsync("/settings")),
        new("overview API", StoreRole.Viewer, (r, role) => r.Tokens[role].GetAsync("/api/overview")),
        new("campaigns API", StoreRole.Viewer, (r, role) => r.Tokens[role].GetAsync("/api/campaigns")),
        new("settings API", StoreRole.Viewer, (r, role) => r.Tokens[role].GetAsync("/api/settings")),
        new("settings API in the browser", StoreRole.Viewer, (r, role) => r.Browsers[role].GetAsync("/api/settings")),
        new("imports page", StoreRole.Marketer, (r, role) => r.Browsers[role].GetAsync("/imports")),
        new("import API", StoreRole.Marketer, (r, role) => r.Tokens[role].PostAsync("/api/import/shopify-orders",
            new MultipartFormDataContent { { new StringContent("Name,Email\n#1,a@b.c\n"), "file", "orders.csv" } })),
        new("save costs (form)", StoreRole.Marketer, (r, role) => r.Browsers[role].PostFormAsync("/settings", CostForm)),
        new("save costs (htmx)", StoreRole.Marketer, (r, role) => r.Browsers[role].PostHtmxAsync("/settings", CostForm)),
        new("save costs API", StoreRole.Marketer, (r, role) => r.Tokens[role].PutAsJsonAsync("/api/settings/costs", CostBody)),
        new("save costs API in the browser", StoreRole.Marketer, async (r, role) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, "/api/settings/costs") { Content = JsonContent.Create(CostBody) };
            request.Headers.Add("RequestVerificationToken", await r.Browsers[role].AntiforgeryTokenAsync());
            return await r.Browsers[role].Client.SendAsync(request);
        }),
        new("product costs page", StoreRole.Accountant, (r, role) => r.Browsers[role].GetAsync("/costs")),
        new("product costs API", StoreRole.Accountant, (r, role) => r.Tokens[role].GetAsync("/api/costs")),
        new("enter a product cost (form)", StoreRole.Marketer, (r, role) => r.Browsers[role].PostFormAsync("/costs", ("item", "v0"), ("unitCost", "1"))),
        new("enter a product cost (htmx)", StoreRole.Marketer, (r, role) => r.Browsers[role].PostHtmxAsync("/costs", ("item", "v0"), ("unitCost", "1"))),
        new("enter a product cost API", StoreRole.Marketer, (r, role) => r.Tokens[role].PutAsJsonAsync("/api/costs/0", new { unitCost = 1 })),
        new("rules page", StoreRole.Viewer, (r, role) => r.Browsers[role].GetAsync("/rules")),
        new("approvals page", StoreRole.Viewer, (r, role) => r.Browsers[role].GetAsync("/rules/approvals")),
        new("rules API", StoreRole.Viewer, (r, role) => r.Tokens[role].GetAsync("/api/rules")),
        new("new rule page", StoreRole.Marketer, (r, role) => r.Browsers[role].GetAsync("/rules/new")),
        new("create a rule API", StoreRole.Marketer, (r, role) => r.Tokens[role].PostAsJsonAsync("/api/rules", RuleBody)),
        new("create a rule from a preset (form)", StoreRole.Marketer, (r, role) => r.Browsers[role].PostFormAsync("/rules?handler=UsePreset&key=stop-loss")),
        new("automation settings API", StoreRole.Marketer, (r, role) => r.Tokens[role].PutAsJsonAsync("/api/settings/automation", AutomationBody)),
        new("brand profile page", StoreRole.Viewer, (r, role) => r.Browsers[role].GetAsync("/settings/brand")),
        new("brand profile API", StoreRole.Viewer, (r, role) => r.Tokens[role].GetAsync("/api/settings/brand-profile")),
        new("save the brand profile (htmx)", StoreRole.Marketer, (r, role) => r.Browsers[role].PostHtmxAsync("/settings/brand", ("Input.Voice", "warm"))),
        new("save the brand profile API", StoreRole.Marketer, (r, role) => r.Tokens[role].PutAsJsonAsync("/api/settings/brand-profile", new { voice = "warm" })),
        new("score a creative API", StoreRole.Viewer, (r, role) => r.Tokens[role].PostAsJsonAsync("/api/creatives/score", new { primaryText = "Shop now." })),
        new("creative studio page", StoreRole.Viewer, (r, role) => r.Browsers[role].GetAsync("/creatives/studio")),
        new("creative variants API", StoreRole.Viewer, (r, role) => r.Tokens[role].GetAsync("/api/creatives/variants")),
        new("generate variants API", StoreRole.Marketer, (r, role) => r.Tokens[role].PostAsJsonAsync("/api/creatives/generate",
            new { product = "Socks", angle = "benefit", format = "image", count = 1 })),
        new("generate in the creative studio (htmx)", StoreRole.Marketer, (r, role) => r.Browsers[role].PostHtmxAsync("/creatives/studio?handler=Generate",
            ("product", "Socks"), ("angle", "benefit"), ("format", "image"), ("count", "1"))),
        new("save a variant API", StoreRole.Marketer, (r, role) => r.Tokens[role].PostAsJsonAsync("/api/creatives/variants", new { product = "Socks", primaryText = "Shop now." })),
        new("creative intelligence page", StoreRole.Viewer, (r, role) => r.Browsers[role].GetAsync("/creatives?tab=competitors")),
        new("creative trends page", StoreRole.Viewer, (r, role) => r.Browsers[role].GetAsync("/creatives?tab=trends")),
        new("creative trends API", StoreRole.Viewer, (r, role) => r.Tokens[role].GetAsync("/api/creatives/trends?window=30")),
        new("watch a competitor (htmx)", StoreRole.Marketer, (r, role) => r.Browsers[role].PostHtmxAsync("/creatives?handler=Competitor",
            ("Name", $"matrix-{Guid.NewGuid():N}"), ("SearchTerms", "linen"), ("Countries", "DE"))),
        new("members page", StoreRole.Owner, (r, role) => r.Browsers[role].GetAsync("/settings/members")),
        new("invite a member", StoreRole.Owner, (r, role) => r.Browsers[role].PostHtmxAsync("/settings/members?handler=Invite",
            ("Invite.Email", $"matrix-{Guid.NewGuid():N}@adintel.test"), ("Invite.Role", "Viewer"))),
        new("API tokens page", StoreRole.Owner, (r, role) => r.Browsers[role].GetAsync("/settings/api-tokens")),
        new("create an API token", StoreRole.Owner, (r, role) => r.Browsers[role].PostHtmxAsync("/settings/api-tokens?handler=Create",
            ("Input.Name", "matrix"), ("Input.Role", "Viewer"))),
        new("audit log", StoreRole.Owner, (r, role) => r.Browsers[role].GetAsync("/settings/audit")),
        new("audit export", StoreRole.Owner, (r, role) => r.Browsers[role].GetAsync("/settings/audit?handler=Export")),
    ];

    public static TheoryData<string, StoreRole> Matrix()
    {
        var data = new TheoryData<string, StoreRole>();
        foreach (var capability in Capabilities)
        {
            foreach (var role in Enum.GetValues<StoreRole>())
            {
                data.Add(capability.Name, role);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Role_gets_exactly_its_capabilities(string capabilityName, StoreRole role)
    {
        var capability = Capabilities.Single(c => c.Name == capabilityName);
        var roster = await RosterAsync();

        using var response = await capability.Call(roster, role);

        if (role >= capability.MinimumRole)
        {
            Assert.False(IsRefusal(response), $"{role} should be allowed to use {capabilityName}: {(int)response.StatusCode} {response.Headers.Location}");
            Assert.True((int)response.StatusCode < 500, $"{(int)response.StatusCode}");
        }
        else
        {
            Assert.True(IsRefusal(response), $"{role} must not use {capabilityName}: {(int)response.StatusCode} {response.Headers.Location}");
        }
    }

    [Theory]
    [InlineData(StoreRole.Viewer)]
    [InlineData(StoreRole.Accountant)]
    [InlineData(StoreRole.Marketer)]
    [InlineData(StoreRole.Owner)]
    public async Task Menus_and_buttons_offer_only_what_the_role_may_do(StoreRole role)
    {
        var roster = await RosterAsync();
        var overview = await roster.Browsers[role].Client.GetStringAsync("/");
        var rules = await roster.Browsers[role].Client.GetStringAsync("/rules");

        var mayChange = role >= StoreRole.Marketer;
        Assert.Equal(mayChange, overview.Contains("href=\"/imports\"", StringComparison.Ordinal));
        Assert.Equal(mayChange, rules.Contains("href=\"/imports\"", StringComparison.Ordinal));
        Assert.Equal(mayChange, rules.Contains("href=\"/rules/new\"", StringComparison.Ordinal));
        Assert.Equal(mayChange, rules.Contains("UsePreset", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Jobs_dashboard_is_for_the_installation_administrator_only()
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);
        var roster = await RosterAsync();
        var storeId = await app.CreateStoreAsync();
        var administrator = await app.CreateAccountAsync($"admin-{Guid.NewGuid():N}@adintel.test", LocalApp.Password, administrator: true);
        await app.AddMembershipAsync(storeId, administrator, StoreRole.Owner);
        var adminBrowser = await app.SignInAsync(administrator.Email!);

        Assert.Equal(HttpStatusCode.OK, (await adminBrowser.GetAsync("/jobs")).StatusCode);
        foreach (var role in Enum.GetValues<StoreRole>())
        {
            Assert.True(IsRefusal(await roster.Browsers[role].GetAsync("/jobs")), role.ToString());
            Assert.True(IsRefusal(await roster.Tokens[role].GetAsync("/jobs")), role + " token");
        }
    }

    /// <summary>
    /// The policy each route declares is the one enforced: every page and API GET that needs no input, called by each
    /// role, is refused exactly when the role is below the route's policy (new routes are covered automatically).
    /// </summary>
    [Fact]
    public async Task Every_route_enforces_its_declared_role_for_every_role()
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);
        var roster = await RosterAsync();
        var routes = (await EndpointCatalog.ListAsync(app.App.Services))
            .Where(r => r.Method == "GET" && !r.AllowsAnonymous && !r.Inputs.Any(i => i.Source != InputSource.OptionalQuery))
            .ToList();
        var problems = new List<string>();
        foreach (var route in routes)
        {
            foreach (var role in Enum.GetValues<StoreRole>())
            {
                var allowed = route.Policy switch
                {
                    Policies.Administrator => false,
                    Policies.Owner => role >= StoreRole.Owner,
                    Policies.Marketer => role >= StoreRole.Marketer,
                    Policies.Accountant => role >= StoreRole.Accountant,
                    _ => true,
                };
                var url = route.Url(new Dictionary<string, string>());
                var clients = route.IsApi ? [roster.Tokens[role], roster.Browsers[role].Client] : new[] { roster.Browsers[role].Client };
                foreach (var client in clients)
                {
                    using var response = await client.GetAsync(url);
                    if (IsRefusal(response) == allowed)
                    {
                        problems.Add($"{role}: GET {url} → {(int)response.StatusCode} {response.Headers.Location} (policy {route.Policy ?? "any member"})");
                    }
                }
            }
        }
        Assert.True(routes.Count >= 12, $"{routes.Count} routes");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    /// <summary>Any route that changes something names the role it needs (or is anonymous, like sign-in), never "any member" by default.</summary>
    [Fact]
    public async Task Every_state_changing_route_declares_its_role()
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);

        var undeclared = (await EndpointCatalog.ListAsync(app.App.Services))
            .Where(r => r.IsUnsafe && !r.AllowsAnonymous && r.Policy is null)
            .Select(r => r.ToString()).ToList();

        Assert.True(undeclared.Count == 0, "Routes without a role policy: " + string.Join(", ", undeclared));
    }

    /// <summary>403 (API, htmx), the error page a browser is sent to, or the sign-in page.</summary>
    private static bool IsRefusal(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized
        || (response.StatusCode == HttpStatusCode.Redirect
            && (response.Headers.Location?.OriginalString == "/Error?status=403"
                || response.Headers.Location?.OriginalString.Contains("/account/sign-in", StringComparison.Ordinal) == true));

    private async Task<Roster> RosterAsync()
    {
        await RosterLock.WaitAsync();
        try
        {
            var app = await fixture.LocalAsync(AppFixture.Sqlite);
            if (_roster is null || _roster.App != app)
            {
                _roster = await Roster.CreateAsync(app);
            }
            return _roster;
        }
        finally
        {
            RosterLock.Release();
        }
    }

    /// <summary>One store with a member (signed-in browser) and an API token of each role.</summary>
    public sealed class Roster
    {
        public required LocalApp App { get; init; }
        public required Dictionary<StoreRole, Browser> Browsers { get; init; }
        public required Dictionary<StoreRole, HttpClient> Tokens { get; init; }

        public static async Task<Roster> CreateAsync(LocalApp app)
        {
            var storeId = await app.CreateStoreAsync("Role matrix");
            var browsers = new Dictionary<StoreRole, Browser>();
            var tokens = new Dictionary<StoreRole, HttpClient>();
            foreach (var role in Enum.GetValues<StoreRole>())
            {
                var member = await app.CreateMemberAsync(storeId, role);
                browsers[role] = await app.SignInAsync(member.Email);
                tokens[role] = await app.CreateTokenClientAsync(storeId, role);
            }
            return new Roster { App = app, Browsers = browsers, Tokens = tokens };
        }
    }
}
