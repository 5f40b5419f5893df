using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AdIntel.Web.Domain;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Security;

[Collection(LocalAppCollection.Name)]
public sealed partial class HardeningTests(AppFixture fixture)
{
    [Theory]
    [InlineData("/settings")]
    [InlineData("/api/settings")]
    [InlineData("/account/sign-in")]
    [InlineData("/api/health")]
    [InlineData("/no-such-page")]
    public async Task Every_answer_carries_the_security_headers(string path)
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);
        var storeId = await app.CreateStoreAsync();
        var owner = await app.CreateMemberAsync(storeId, StoreRole.Owner);
        var browser = await app.SignInAsync(owner.Email);

        using var response = await browser.GetAsync(path);

        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("style-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        Assert.Contains("camera=()", Header(response, "Permissions-Policy"), StringComparison.Ordinal);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task Pages_have_no_inline_scripts_styles_or_handlers_that_the_policy_would_block()
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);
        var storeId = await app.CreateStoreAsync();
        var owner = await app.CreateMemberAsync(storeId, StoreRole.Owner);
        var browser = await app.SignInAsync(owner.Email);
        var pages = (await EndpointCatalog.ListAsync(app.App.Services))
            .Where(r => r.IsPage && r.Method == "GET" && r.Handler is null && !r.Inputs.Any(i => i.Source == InputSource.Route))
            .Select(r => r.Path).Distinct().ToList();

        var problems = new List<string>();
        foreach (var page in pages)
        {
            var html = await (await browser.GetAsync(page)).Content.ReadAsStringAsync();
            problems.AddRange(InlineCode().Matches(html).Select(m => $"{page}: {m.Value}"));
        }

        Assert.True(pages.Count >= 8, string.Join(", ", pages));
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public async Task Shopify_embedded_mode_lets_only_the_shopify_admin_and_the_store_frame_the_app()
    {
        await using var app = await fixture.StartLocalAsync(AppFixture.Sqlite, new Dictionary<string, string?> { ["Auth:Mode"] = "Shopify" });
        var storeId = await app.CreateStoreAsync();
        var domain = await app.App.WithDbAsync(null, db => db.Stores.Where(s => s.Id == storeId).Select(s => s.ShopDomain).SingleAsync());
        var api = await app.CreateTokenClientAsync(storeId, StoreRole.Viewer);

        using var response = await api.GetAsync("/api/settings");

        Assert.EndsWith($"frame-ancestors https://{domain} https://admin.shopify.com", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("X-Frame-Options"));
    }

    [Fact]
    public async Task Outside_development_http_is_redirected_to_https_and_https_answers_carry_hsts()
    {
        await using var app = await fixture.StartLocalAsync(AppFixture.Sqlite, new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["https_port"] = "443",
        });
        await app.CreateAccountAsync("prod-admin@adintel.test", LocalApp.Password, administrator: true);

        var plain = app.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("http://adintel.example") });
        using var redirect = await plain.GetAsync("/account/sign-in");
        var secure = app.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://adintel.example") });
        using var page = await secure.GetAsync("/account/sign-in");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
        Assert.Equal("https://adintel.example/account/sign-in", redirect.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("max-age=31536000", Header(page, "Strict-Transport-Security"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Form_posts_without_the_antiforgery_token_are_refused_and_change_nothing()
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);
        var storeId = await app.CreateStoreAsync();
        var owner = await app.CreateMemberAsync(storeId, StoreRole.Owner);
        var browser = await app.SignInAsync(owner.Email);

        using var settings = await browser.Client.PostAsync("/settings", new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.PaymentFeePercent"] = "9" }));
        using var invite = await browser.Client.PostAsync("/settings/members?handler=Invite",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Invite.Email"] = "csrf@adintel.test", ["Invite.Role"] = "Owner" }));
        using var forged = await browser.Client.PostAsync("/settings/members?handler=Invite",
            Browser.Form("CfDJ8forged-token", ("Invite.Email", "csrf@adintel.test"), ("Invite.Role", "Owner")));

        Assert.Equal(HttpStatusCode.BadRequest, settings.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, invite.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.False(await app.App.WithDbAsync(storeId, db => db.StoreInvitations.AnyAsync()));
        Assert.Equal(2.9m, await app.App.WithDbAsync(storeId, db => db.StoreSettings.Select(s => s.PaymentFeePercent).SingleAsync()));
    }

    [Fact]
    public async Task Api_writes_on_a_browser_session_need_the_antiforgery_header_but_token_calls_do_not()
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);
        var storeId = await app.CreateStoreAsync();
        var owner = await app.CreateMemberAsync(storeId, StoreRole.Owner);
        var browser = await app.SignInAsync(owner.Email);
        var body = new { paymentFeePercent = 2.5, paymentFeeFixed = 0.25, shippingCostPerOrder = 5, otherMarketingCostPerMonth = 100 };

        using var bare = await browser.Client.PutAsJsonAsync("/api/settings/costs", body);
        using var withHeader = new HttpRequestMessage(HttpMethod.Put, "/api/settings/costs") { Content = JsonContent.Create(body) };
        withHeader.Headers.Add("RequestVerificationToken", await browser.AntiforgeryTokenAsync());
        using var sessionWithHeader = await browser.Client.SendAsync(withHeader);
        var api = await app.CreateTokenClientAsync(storeId, StoreRole.Marketer);
        using var token = await api.PutAsJsonAsync("/api/settings/costs", body);

        Assert.Equal(HttpStatusCode.BadRequest, bare.StatusCode);
        Assert.Equal("antiforgery_token_invalid", (await bare.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, sessionWithHeader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }

    [Fact]
    public async Task Demo_api_writes_work_from_scripts_but_not_from_other_sites()
    {
        await using var app = await fixture.StartLocalAsync(AppFixture.Sqlite, new Dictionary<string, string?>
        {
            ["Auth:Mode"] = "Demo",
            ["Demo:Enabled"] = "true",
            ["Demo:Orders"] = "100",
            ["Demo:Months"] = "1",
        });
        var client = app.App.CreateClient();
        var body = new { paymentFeePercent = 2.5, paymentFeeFixed = 0.25, shippingCostPerOrder = 5, otherMarketingCostPerMonth = 100 };

        async Task<HttpStatusCode> PutAsync(string? header, string? value)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, "/api/settings/costs") { Content = JsonContent.Create(body) };
            if (header is not null)
            {
                request.Headers.Add(header, value);
            }
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, await PutAsync(null, null));
        Assert.Equal(HttpStatusCode.OK, await PutAsync("Sec-Fetch-Site", "same-origin"));
        Assert.Equal(HttpStatusCode.BadRequest, await PutAsync("Sec-Fetch-Site", "cross-site"));
        Assert.Equal(HttpStatusCode.BadRequest, await PutAsync("Origin", "https://evil.example"));
    }

    [Fact]
    public async Task Too_many_sign_in_attempts_from_one_address_get_429_with_retry_after()
    {
        await using var app = await fixture.StartLocalAsync(AppFixture.Sqlite, new Dictionary<string, string?> { ["Security:SignInPermitsPerMinute"] = "3" });
        await app.CreateAccountAsync("limited@adintel.test", LocalApp.Password, administrator: true);
        var browser = app.NewBrowser();
        var token = await browser.AntiforgeryTokenAsync("/account/sign-in");

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var attempt = 0; attempt < 4; attempt++)
        {
            last = await browser.Client.PostAsync("/account/sign-in", Browser.Form(token, ("Input.Email", "limited@adintel.test"), ("Input.Password", "guess " + attempt + " wrong!")));
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.InRange(int.Parse(Header(last!, "Retry-After"), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        // Reading pages is not limited.
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/sign-in")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task The_sign_in_limit_holds_across_instances_sharing_the_database(string provider)
    {
        await using var first = await fixture.StartLocalAsync(provider, new Dictionary<string, string?> { ["Security:SignInPermitsPerMinute"] = "3" });
        await using var second = new LocalApp(AppFixture.Restart(first.App));
        await first.CreateAccountAsync("guessed@adintel.test", LocalApp.Password, administrator: true);
        var browsers = new[] { first.NewBrowser(), second.NewBrowser() };
        var tokens = new[] { await browsers[0].AntiforgeryTokenAsync("/account/sign-in"), await browsers[1].AntiforgeryTokenAsync("/account/sign-in") };

        var statuses = new List<HttpStatusCode>();
        for (var attempt = 0; attempt < 4; attempt++)
        {
            // Alternating instances, from the same address: each instance alone has seen at most two attempts.
            var instance = attempt % 2;
            using var response = await browsers[instance].Client.PostAsync("/account/sign-in",
                Browser.Form(tokens[instance], ("Input.Email", "guessed@adintel.test"), ("Input.Password", "guess " + attempt + " wrong!")));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Api_over_its_limit_gets_429_with_the_contract_error_body_per_token()
    {
        await using var app = await fixture.StartLocalAsync(AppFixture.Sqlite, new Dictionary<string, string?> { ["Security:ApiPermitsPerMinute"] = "5" });
        var storeId = await app.CreateStoreAsync();
        var busy = await app.CreateTokenClientAsync(storeId, StoreRole.Viewer);
        var calm = await app.CreateTokenClientAsync(storeId, StoreRole.Viewer);

        var statuses = new List<HttpStatusCode>();
        for (var call = 0; call < 6; call++)
        {
            statuses.Add((await busy.GetAsync("/api/settings")).StatusCode);
        }
        using var limited = await busy.GetAsync("/api/settings");
        using var other = await calm.GetAsync("/api/settings");
        using var health = await busy.GetAsync("/api/health");

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter is not null);
        var error = (await limited.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error");
        Assert.Equal("rate_limited", error.GetProperty("code").GetString());
        Assert.True(error.GetProperty("details").GetProperty("retryAfterSeconds").GetInt32() >= 1);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Uploads_over_their_limit_per_store_get_429()
    {
        await using var app = await fixture.StartLocalAsync(AppFixture.Sqlite, new Dictionary<string, string?> { ["Security:ImportPermitsPerMinute"] = "2" });
        var storeId = await app.CreateStoreAsync();
        var api = await app.CreateTokenClientAsync(storeId, StoreRole.Marketer);

        var statuses = new List<HttpStatusCode>();
        for (var upload = 0; upload < 3; upload++)
        {
            using var content = new MultipartFormDataContent { { new StringContent("not,a,real\nexport,at,all\n"), "file", "orders.csv" } };
            statuses.Add((await api.PostAsync("/api/import/shopify-orders", content)).StatusCode);
        }

        Assert.DoesNotContain(HttpStatusCode.TooManyRequests, statuses.Take(2));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[2]);
    }

    [Fact]
    public async Task Bodies_over_the_limit_are_refused_with_413_before_they_are_read()
    {
        await using var app = await fixture.StartLocalAsync(AppFixture.Sqlite, new Dictionary<string, string?> { ["Security:MaxRequestBodyKilobytes"] = "16" });
        await app.CreateAccountAsync("limits-admin@adintel.test", LocalApp.Password, administrator: true);
        var storeId = await app.CreateStoreAsync();
        var api = await app.CreateTokenClientAsync(storeId, StoreRole.Owner);
        var big = "{\"paymentFeePercent\": 1, \"padding\": \"" + new string('x', 20_000) + "\"}";

        using var json = await api.PutAsync("/api/settings/costs", new StringContent(big, Encoding.UTF8, "application/json"));
        using var form = await app.NewBrowser().Client.PostAsync("/account/sign-in",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Email"] = new string('a', 20_000) }));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, json.StatusCode);
        Assert.Equal("payload_too_large", (await json.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, form.StatusCode);
    }

    [Fact]
    public async Task Logs_never_contain_passwords_tokens_reset_links_or_cookies()
    {
        var logs = Path.Combine(Path.GetTempPath(), "adintel-log-check-" + Guid.NewGuid().ToString("N"));
        const string password = "secret passphrase that must not be logged";
        string apiToken, resetCode, cookie;
        await using (var app = await fixture.StartLocalAsync(AppFixture.Sqlite, new Dictionary<string, string?> { ["Logging:Directory"] = logs }))
        {
            var storeId = await app.CreateStoreAsync();
            var user = await app.CreateAccountAsync($"logs-{Guid.NewGuid():N}@adintel.test", password);
            await app.AddMembershipAsync(storeId, user, StoreRole.Owner);
            var browser = app.NewBrowser();
            await browser.SignInAsync(user.Email!, "a wrong password for the log");
            await browser.SignInAsync(user.Email!, password);
            var created = await browser.PostFormAsync("/settings/api-tokens?handler=Create", ("Input.Name", "log check"), ("Input.Role", "Viewer"));
            apiToken = NewToken().Match(await created.Content.ReadAsStringAsync()).Groups[1].Value;
            var api = app.App.CreateClient();
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiToken);
            await api.GetAsync("/api/settings");
            await api.GetAsync("/api/does-not-exist");
            await app.NewBrowser().PostFormAsync("/account/forgot-password", ("Input.Email", user.Email!));
            var mail = await fixture.Smtp.WaitForMessageToAsync(user.Email!);
            resetCode = ResetCode().Match(mail.TextBody ?? "").Groups[1].Value;
            await app.NewBrowser().GetAsync("/account/reset-password?user=" + user.Id + "&code=" + resetCode);
            cookie = (await SessionCookieAsync(app, user.Email!, password)) ?? "";
        }

        var text = string.Concat(Directory.GetFiles(logs, "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.Contains("HTTP POST /account/sign-in", text, StringComparison.Ordinal);
        Assert.NotEmpty(apiToken);
        Assert.NotEmpty(resetCode);
        Assert.NotEmpty(cookie);
        Assert.DoesNotContain(password, text, StringComparison.Ordinal);
        Assert.DoesNotContain("a wrong password for the log", text, StringComparison.Ordinal);
        Assert.DoesNotContain(apiToken, text, StringComparison.Ordinal);
        Assert.DoesNotContain(apiToken[4..20], text, StringComparison.Ordinal);
        Assert.DoesNotContain(resetCode[..24], text, StringComparison.Ordinal);
        Assert.DoesNotContain(cookie[..24], text, StringComparison.Ordinal);
        Directory.Delete(logs, recursive: true);
    }

    /// <summary>Signs in with a client that keeps no cookies, to read the session cookie's value from Set-Cookie.</summary>
    private static async Task<string?> SessionCookieAsync(LocalApp app, string email, string password)
    {
        var client = app.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var page = await client.GetAsync("/account/sign-in");
        var antiforgeryCookie = page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        var token = RequestToken().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/sign-in")
        {
            Content = Browser.Form(token, ("Input.Email", email), ("Input.Password", password)),
        };
        request.Headers.Add("Cookie", antiforgeryCookie);
        using var response = await client.SendAsync(request);
        return response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.Select(c => SessionCookie().Match(c)).FirstOrDefault(m => m.Success)?.Groups[1].Value
            : null;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(",", contentValues)
        : "";

    /// <summary>Script elements with code, style elements or attributes, inline event handlers, javascript: links.</summary>
    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=""|\son[a-z]+=""|javascript:", RegexOptions.IgnoreCase)]
    private static partial Regex InlineCode();

    [GeneratedRegex("data-testid=\"new-token\">([^<]+)<")]
    private static partial Regex NewToken();

    [GeneratedRegex(@"code=([A-Za-z0-9_-]+)")]
    private static partial Regex ResetCode();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex RequestToken();

    [GeneratedRegex(@"^adintel\.session=([^;]+)")]
    private static partial Regex SessionCookie();
}
