using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Security;

/// <summary>A person with an account and a membership made for one test.</summary>
public sealed record TestMember(long StoreId, long UserId, long MemberId, string Email, StoreRole Role);

/// <summary>A Local-mode app with helpers to make stores, accounts, members, tokens and signed-in browsers.</summary>
public sealed class LocalApp(AdIntelApp app) : IAsyncDisposable
{
    /// <summary>Every test account's password (long enough for the password rules).</summary>
    public const string Password = "correct horse battery staple";

    public AdIntelApp App => app;

    public async Task<long> CreateStoreAsync(string? name = null)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var storeId = await app.WithDbAsync(null, async db =>
        {
            var store = new Store { Name = name ?? "Store " + suffix, ShopDomain = $"s{suffix}.myshopify.com", TimeZone = "UTC", CreatedAtUtc = DateTime.UtcNow };
            db.Stores.Add(store);
            await db.SaveChangesAsync();
            return store.Id;
        });
        await app.WithDbAsync(storeId, async db =>
        {
            db.StoreSettings.Add(new StoreSettings { UpdatedAtUtc = DateTime.UtcNow });
            await db.SaveChangesAsync();
        });
        return storeId;
    }

    public async Task<AppUser> CreateAccountAsync(string email, string password, bool administrator = false)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, CreatedAtUtc = DateTime.UtcNow, IsAdministrator = administrator };
        var result = await users.CreateAsync(user, password);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Select(e => e.Description)));
        return user;
    }

    /// <summary>A new account (unique e-mail, <see cref="Password"/>) that is a <paramref name="role"/> of the store.</summary>
    public async Task<TestMember> CreateMemberAsync(long storeId, StoreRole role, string? email = null)
    {
        email ??= $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..10]}@adintel.test";
        var user = await CreateAccountAsync(email, Password);
        var memberId = await AddMembershipAsync(storeId, user, role);
        return new TestMember(storeId, user.Id, memberId, email, role);
    }

    public Task<long> AddMembershipAsync(long storeId, AppUser user, StoreRole role) =>
        app.WithDbAsync(storeId, async db =>
        {
            var member = new StoreMember { UserId = user.Id, Email = user.Email!, Role = role, CreatedAtUtc = DateTime.UtcNow };
            db.StoreMembers.Add(member);
            await db.SaveChangesAsync();
            return member.Id;
        });

    /// <summary>
    /// An API client with a new token of <paramref name="role"/> for the store, made by <paramref name="person"/> (by
    /// default a new member of that role): with local accounts every token belongs to a member.
    /// </summary>
    public async Task<HttpClient> CreateTokenClientAsync(long storeId, StoreRole role, TestMember? person = null)
    {
        person ??= await CreateMemberAsync(storeId, role);
        var token = ApiTokenAuthenticationHandler.NewToken();
        await app.WithDbAsync(storeId, async db =>
        {
            db.ApiTokens.Add(new ApiToken
            {
                MemberId = person.MemberId, Name = "tests " + role, Role = role, Prefix = token[..8],
                TokenHash = ApiTokenAuthenticationHandler.Hash(token), CreatedAtUtc = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        });
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A browser (cookies, no automatic redirects) that is not signed in.</summary>
    public Browser NewBrowser() => new(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    /// <summary>A browser signed in through the sign-in page.</summary>
    public async Task<Browser> SignInAsync(string email, string password = Password)
    {
        var browser = NewBrowser();
        var response = await browser.SignInAsync(email, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    public ValueTask DisposeAsync() => app.DisposeAsync();
}

/// <summary>An HttpClient that behaves like a browser: keeps cookies, sends antiforgery tokens with forms.</summary>
public sealed partial class Browser(HttpClient client)
{
    public HttpClient Client => client;

    public Task<HttpResponseMessage> GetAsync(string url) => client.GetAsync(url);

    public async Task<HttpResponseMessage> SignInAsync(string email, string password)
    {
        var token = await AntiforgeryTokenAsync("/account/sign-in");
        return await client.PostAsync("/account/sign-in", Form(token, ("Input.Email", email), ("Input.Password", password)));
    }

    /// <summary>The antiforgery token of the form on <paramref name="page"/> (for the current identity).</summary>
    public async Task<string> AntiforgeryTokenAsync(string page = "/account/sign-out")
    {
        var html = await client.GetStringAsync(page);
        var match = RequestToken().Match(html);
        Assert.True(match.Success, $"No antiforgery token on {page}.");
        return match.Groups[1].Value;
    }

    /// <summary>Posts a form with a fresh antiforgery token, like a browser submitting a page's form.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string url, params (string Name, string Value)[] fields) =>
        await client.PostAsync(url, Form(await AntiforgeryTokenAsync(), fields));

    /// <summary>Posts like htmx does: the antiforgery token in the RequestVerificationToken header, HX-Request set.</summary>
    public async Task<HttpResponseMessage> PostHtmxAsync(string url, params (string Name, string Value)[] fields)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))) };
        request.Headers.Add("RequestVerificationToken", await AntiforgeryTokenAsync());
        request.Headers.Add("HX-Request", "true");
        return await client.SendAsync(request);
    }

    /// <summary>Posts JSON to the API like the app's own pages do on a session: the antiforgery token in its header.</summary>
    public async Task<HttpResponseMessage> PostJsonAsync(string url, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = System.Net.Http.Json.JsonContent.Create(body) };
        request.Headers.Add("RequestVerificationToken", await AntiforgeryTokenAsync());
        return await client.SendAsync(request);
    }

    public static FormUrlEncodedContent Form(string antiforgeryToken, params (string Name, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)).Append(KeyValuePair.Create("__RequestVerificationToken", antiforgeryToken)));

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex RequestToken();
}
