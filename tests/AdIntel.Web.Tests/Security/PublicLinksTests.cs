using System.Text.RegularExpressions;
using AdIntel.Web.Domain;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Tests.Security;

/// <summary>Invitation and reset links point only at an origin the operator configured, whatever Host a request claims.</summary>
[Collection(LocalAppCollection.Name)]
public sealed partial class PublicLinksTests(AppFixture fixture)
{
    [Fact]
    public async Task Reset_link_ignores_a_forged_host_header_when_no_public_url_is_set()
    {
        await using var app = await fixture.StartLocalAsync(AppFixture.Sqlite, new Dictionary<string, string?> { ["Auth:PublicUrl"] = "" });
        var storeId = await app.CreateStoreAsync();
        var member = await app.CreateMemberAsync(storeId, StoreRole.Viewer);
        var attacker = BrowserAt(app, "http://evil.test/");

        await attacker.PostFormAsync("/account/forgot-password", ("Input.Email", member.Email));

        var link = Link().Match((await fixture.Smtp.WaitForMessageToAsync(member.Email)).TextBody ?? "").Value;
        // AllowedHosts is "*": the app's own address (Urls in appsettings.json), never the request's Host.
        Assert.StartsWith("http://localhost:4310/account/reset-password?", link, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invitation_link_uses_the_requests_host_only_when_allowed_hosts_lists_it()
    {
        await using var app = await fixture.StartLocalAsync(AppFixture.Sqlite, new Dictionary<string, string?>
        {
            ["Auth:PublicUrl"] = "",
            ["AllowedHosts"] = "adintel.example;*.adintel.example",
        });
        var storeId = await app.CreateStoreAsync();
        var owner = await app.CreateMemberAsync(storeId, StoreRole.Owner);
        var browser = BrowserAt(app, "http://eu.adintel.example/");
        await browser.SignInAsync(owner.Email, LocalApp.Password);
        var invitee = $"invitee-{Guid.NewGuid():N}@adintel.test";

        await browser.PostFormAsync("/settings/members?handler=Invite", ("Invite.Email", invitee), ("Invite.Role", "Viewer"));

        var link = Link().Match((await fixture.Smtp.WaitForMessageToAsync(invitee)).TextBody ?? "").Value;
        Assert.StartsWith("http://eu.adintel.example/account/accept-invitation?token=", link, StringComparison.Ordinal);
        // Any other host is refused before a page sees it.
        var forged = await BrowserAt(app, "http://evil.test/").GetAsync("/account/forgot-password");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, forged.StatusCode);
    }

    [Fact]
    public void Production_with_local_accounts_and_no_public_url_does_not_start()
    {
        using var app = new AdIntelApp(new Dictionary<string, string?>
        {
            ["environment"] = "Production",
            ["ConnectionStrings:AdIntel"] = $"Data Source={Path.Combine(fixture.TempDirectory, Guid.NewGuid().ToString("N") + ".db")}",
            ["Demo:Enabled"] = "false",
            ["Logging:Directory"] = Path.Combine(fixture.TempDirectory, "logs-production"),
            ["Auth:Mode"] = "Local",
            ["Auth:PublicUrl"] = "",
        });

        var error = Assert.ThrowsAny<Exception>(() => app.Server);

        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException;
        Assert.NotNull(validation);
        Assert.Contains("Auth:PublicUrl must be set in Production with Auth:Mode=Local", validation.Message, StringComparison.Ordinal);
    }

    private static Browser BrowserAt(LocalApp app, string origin) => new(app.App.CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri(origin), AllowAutoRedirect = false, HandleCookies = true,
    }));

    [GeneratedRegex(@"https?://\S+/account/(reset-password|accept-invitation)\?\S+")]
    private static partial Regex Link();
}
