using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Security;

/// <summary>
/// A token never outranks its person: it acts with the lower of its own role and its member's current role, stops when
/// the member leaves, cannot manage tokens or members, and the audit log names the person behind it.
/// </summary>
[Collection(LocalAppCollection.Name)]
public sealed partial class ApiTokenTests(AppFixture fixture)
{
    private static readonly object Costs = new { paymentFeePercent = 2.9, paymentFeeFixed = 0.3, shippingCostPerOrder = 5, otherMarketingCostPerMonth = 0 };

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Owner_token_of_a_demoted_member_acts_with_the_members_new_role(string provider)
    {
        var app = await fixture.LocalAsync(provider);
        var storeId = await app.CreateStoreAsync();
        var owner = await app.CreateMemberAsync(storeId, StoreRole.Owner);
        var colleague = await app.CreateMemberAsync(storeId, StoreRole.Owner);
        var token = await app.CreateTokenClientAsync(storeId, StoreRole.Owner, colleague);
        Assert.Equal(HttpStatusCode.OK, (await token.PutAsJsonAsync("/api/settings/costs", Costs)).StatusCode);

        var ownerBrowser = await app.SignInAsync(owner.Email);
        await ownerBrowser.PostHtmxAsync($"/settings/members?handler=ChangeRole&id={colleague.MemberId}", ("role", nameof(StoreRole.Viewer)));

        Assert.Equal(HttpStatusCode.Forbidden, (await token.PutAsJsonAsync("/api/settings/costs", Costs)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await token.GetAsync("/api/settings")).StatusCode);
        // Promoted again, the token has its own role back, never more: a viewer token of an owner stays a viewer.
        await ownerBrowser.PostHtmxAsync($"/settings/members?handler=ChangeRole&id={colleague.MemberId}", ("role", nameof(StoreRole.Owner)));
        Assert.Equal(HttpStatusCode.OK, (await token.PutAsJsonAsync("/api/settings/costs", Costs)).StatusCode);
        var viewerToken = await app.CreateTokenClientAsync(storeId, StoreRole.Viewer, colleague);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewerToken.PutAsJsonAsync("/api/settings/costs", Costs)).StatusCode);
    }

    [Fact]
    public async Task Owner_token_cannot_create_tokens_invite_or_change_members_through_the_pages()
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);
        var storeId = await app.CreateStoreAsync();
        var owner = await app.CreateMemberAsync(storeId, StoreRole.Owner);
        var viewer = await app.CreateMemberAsync(storeId, StoreRole.Viewer);
        var token = new Browser(await app.CreateTokenClientAsync(storeId, StoreRole.Owner, owner));
        // A form the token may use hands it an antiforgery token, as the probe did.
        var antiforgery = await token.AntiforgeryTokenAsync("/settings");
        var before = await CountAsync(app, storeId);

        var calls = new (string Url, (string, string)[] Fields)[]
        {
            ("/settings/api-tokens?handler=Create", [("Input.Name", "minted"), ("Input.Role", "Owner")]),
            ("/settings/members?handler=Invite", [("Invite.Email", $"probe-{Guid.NewGuid():N}@adintel.test"), ("Invite.Role", "Owner")]),
            ($"/settings/members?handler=ChangeRole&id={viewer.MemberId}", [("role", "Owner")]),
            ($"/settings/members?handler=Remove&id={viewer.MemberId}", []),
        };
        foreach (var (url, fields) in calls)
        {
            using var response = await token.Client.PostAsync(url, Browser.Form(antiforgery, fields));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"POST {url}: {(int)response.StatusCode}");
        }
        foreach (var page in new[] { "/settings/api-tokens", "/settings/members" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await token.GetAsync(page)).StatusCode);
        }

        Assert.Equal(before, await CountAsync(app, storeId));
        Assert.Equal(StoreRole.Viewer, await app.App.WithDbAsync(storeId, db => db.StoreMembers.Where(m => m.Id == viewer.MemberId).Select(m => m.Role).SingleAsync()));
    }

    [Fact]
    public async Task Removing_a_member_stops_every_token_they_made_directly_or_through_another_token()
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);
        var storeId = await app.CreateStoreAsync();
        var owner = await app.CreateMemberAsync(storeId, StoreRole.Owner);
        var leaver = await app.CreateMemberAsync(storeId, StoreRole.Owner);
        var leaverBrowser = await app.SignInAsync(leaver.Email);
        var created = await leaverBrowser.PostHtmxAsync("/settings/api-tokens?handler=Create", ("Input.Name", "script"), ("Input.Role", "Owner"));
        var direct = TokenClient(app, NewToken().Match(await created.Content.ReadAsStringAsync()).Groups[1].Value);
        // Before tokens lost the right to make tokens, one minted through the leaver's token had no member.
        var minted = TokenClient(app, await AddMemberlessTokenAsync(app, storeId));
        Assert.Equal(HttpStatusCode.OK, (await direct.GetAsync("/api/settings")).StatusCode);

        var ownerBrowser = await app.SignInAsync(owner.Email);
        await ownerBrowser.PostHtmxAsync($"/settings/members?handler=Remove&id={leaver.MemberId}");

        Assert.Equal(HttpStatusCode.Unauthorized, (await direct.GetAsync("/api/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await minted.GetAsync("/api/settings")).StatusCode);
    }

    [Fact]
    public async Task Token_stops_on_the_first_request_after_its_membership_is_gone()
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);
        var storeId = await app.CreateStoreAsync();
        var member = await app.CreateMemberAsync(storeId, StoreRole.Marketer);
        var token = await app.CreateTokenClientAsync(storeId, StoreRole.Marketer, member);
        Assert.Equal(HttpStatusCode.OK, (await token.GetAsync("/api/settings")).StatusCode);

        // Gone without the members page (which also revokes the tokens): the token is still not revoked.
        await app.App.WithDbAsync(storeId, db => db.StoreMembers.Where(m => m.Id == member.MemberId).ExecuteDeleteAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, (await token.GetAsync("/api/settings")).StatusCode);
    }

    [Fact]
    public async Task Audit_log_names_the_person_behind_a_token()
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);
        var storeId = await app.CreateStoreAsync();
        var member = await app.CreateMemberAsync(storeId, StoreRole.Marketer);
        var token = await app.CreateTokenClientAsync(storeId, StoreRole.Marketer, member);

        await token.PutAsJsonAsync("/api/settings/costs", Costs);

        var actor = await app.App.WithDbAsync(storeId, db => db.AuditEntries.Select(e => e.Actor).SingleAsync());
        Assert.Equal($"{member.Email} (token: tests Marketer)", actor);
    }

    private static Task<(int Tokens, int Invitations, int Members)> CountAsync(LocalApp app, long storeId) =>
        app.App.WithDbAsync(storeId, async db => (await db.ApiTokens.CountAsync(), await db.StoreInvitations.CountAsync(), await db.StoreMembers.CountAsync()));

    private static async Task<string> AddMemberlessTokenAsync(LocalApp app, long storeId)
    {
        var secret = ApiTokenAuthenticationHandler.NewToken();
        await app.App.WithDbAsync(storeId, async db =>
        {
            db.ApiTokens.Add(new ApiToken
            {
                Name = "minted by a token", Role = StoreRole.Owner, Prefix = secret[..8],
                TokenHash = ApiTokenAuthenticationHandler.Hash(secret), CreatedAtUtc = DateTime.UtcNow,
            });
            await db.SaveChangesAsync();
        });
        return secret;
    }

    private static HttpClient TokenClient(LocalApp app, string secret)
    {
        var client = app.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    [GeneratedRegex("data-testid=\"new-token\">([^<]+)<")]
    private static partial Regex NewToken();
}
