using System.Net;
using System.Text.RegularExpressions;
using AdIntel.Web.Domain;
using AdIntel.Web.Pages.Account;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Security;

[Collection(LocalAppCollection.Name)]
public sealed partial class AccountTests(AppFixture fixture)
{
    [Fact]
    public async Task Empty_install_sends_every_page_to_setup_and_setup_makes_the_first_owner()
    {
        await using var app = await fixture.StartLocalAsync(AppFixture.Sqlite);
        var browser = app.NewBrowser();

        var home = await browser.GetAsync("/campaigns");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Equal("/account/setup", home.Headers.Location?.OriginalString);

        var token = await browser.AntiforgeryTokenAsync("/account/setup");
        var setup = await browser.Client.PostAsync("/account/setup", Browser.Form(token,
            ("Input.Email", "Owner@Example.com"), ("Input.DisplayName", "Olivia"),
            ("NewPassword.Password", LocalApp.Password), ("NewPassword.ConfirmPassword", LocalApp.Password),
            ("Input.StoreName", "Olivia's Shop"), ("Input.ShopDomain", "olivias-shop.myshopify.com"),
            ("Input.Currency", "eur"), ("Input.TimeZone", "Europe/Berlin")));

        Assert.Equal(HttpStatusCode.Redirect, setup.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/settings/members")).StatusCode);
        var (store, member, user) = await app.App.WithDbAsync(null, async db => (
            await db.Stores.SingleAsync(),
            await db.StoreMembers.IgnoreQueryFilters().SingleAsync(),
            await db.Users.SingleAsync()));
        Assert.Equal(("Olivia's Shop", "EUR", "Europe/Berlin"), (store.Name, store.Currency, store.TimeZone));
        Assert.Equal((StoreRole.Owner, user.Id, "owner@example.com"), (member.Role, member.UserId!.Value, member.Email));
        Assert.True(user.IsAdministrator);
        // Setup happens once: afterwards the page only points to sign-in.
        var again = await app.NewBrowser().GetAsync("/account/setup");
        Assert.Equal("/account/sign-in", again.Headers.Location?.OriginalString);
    }

    /// <summary>
    /// The time zones a Shopify store can have (the admin's Settings → General list, as the Admin API's
    /// <c>ianaTimezone</c> names them), UTC included.
    /// </summary>
    private static readonly string[] ShopifyTimeZones =
    [
        "Etc/GMT+12", "Pacific/Midway", "Pacific/Pago_Pago", "Pacific/Honolulu", "America/Juneau", "America/Los_Angeles",
        "America/Tijuana", "America/Denver", "America/Phoenix", "America/Chihuahua", "America/Mazatlan", "America/Chicago",
        "America/Regina", "America/Mexico_City", "America/Monterrey", "America/Guatemala", "America/New_York",
        "America/Indiana/Indianapolis", "America/Bogota", "America/Lima", "America/Halifax", "America/Caracas", "America/La_Paz",
        "America/Santiago", "America/Asuncion", "America/St_Johns", "America/Sao_Paulo", "America/Argentina/Buenos_Aires",
        "America/Montevideo", "America/Guyana", "America/Puerto_Rico", "America/Godthab", "America/Nuuk", "Atlantic/South_Georgia",
        "Atlantic/Azores", "Atlantic/Cape_Verde", "Europe/Dublin", "Europe/London", "Europe/Lisbon", "Africa/Casablanca",
        "Africa/Monrovia", "Etc/UTC", "UTC", "Europe/Belgrade", "Europe/Bratislava", "Europe/Budapest", "Europe/Ljubljana",
        "Europe/Prague", "Europe/Sarajevo", "Europe/Skopje", "Europe/Warsaw", "Europe/Zagreb", "Europe/Brussels",
        "Europe/Copenhagen", "Europe/Madrid", "Europe/Paris", "Europe/Amsterdam", "Europe/Berlin", "Europe/Zurich", "Europe/Rome",
        "Europe/Stockholm", "Europe/Vienna", "Africa/Algiers", "Europe/Bucharest", "Africa/Cairo", "Europe/Helsinki", "Europe/Kiev",
        "Europe/Riga", "Europe/Sofia", "Europe/Tallinn", "Europe/Vilnius", "Europe/Athens", "Europe/Istanbul", "Europe/Minsk",
        "Asia/Jerusalem", "Africa/Harare", "Africa/Johannesburg", "Europe/Kaliningrad", "Europe/Moscow", "Europe/Volgograd",
        "Europe/Samara", "Asia/Kuwait", "Asia/Riyadh", "Africa/Nairobi", "Asia/Baghdad", "Asia/Tehran", "Asia/Muscat", "Asia/Baku",
        "Asia/Tbilisi", "Asia/Yerevan", "Asia/Kabul", "Asia/Yekaterinburg", "Asia/Karachi", "Asia/Tashkent", "Asia/Kolkata",
        "Asia/Kathmandu", "Asia/Dhaka", "Asia/Colombo", "Asia/Almaty", "Asia/Novosibirsk", "Asia/Rangoon", "Asia/Bangkok",
        "Asia/Jakarta", "Asia/Krasnoyarsk", "Asia/Shanghai", "Asia/Chongqing", "Asia/Hong_Kong", "Asia/Urumqi", "Asia/Kuala_Lumpur",
        "Asia/Singapore", "Asia/Taipei", "Australia/Perth", "Asia/Irkutsk", "Asia/Ulaanbaatar", "Asia/Seoul", "Asia/Tokyo",
        "Asia/Yakutsk", "Australia/Darwin", "Australia/Adelaide", "Australia/Melbourne", "Australia/Sydney", "Australia/Brisbane",
        "Australia/Hobart", "Asia/Vladivostok", "Pacific/Guam", "Pacific/Port_Moresby", "Asia/Magadan", "Asia/Srednekolymsk",
        "Pacific/Guadalcanal", "Pacific/Noumea", "Pacific/Fiji", "Asia/Kamchatka", "Pacific/Majuro", "Pacific/Auckland",
        "Pacific/Tongatapu", "Pacific/Fakaofo", "Pacific/Chatham", "Pacific/Apia",
    ];

    [Fact]
    public async Task Setup_offers_every_Shopify_time_zone_and_accepts_UTC()
    {
        await using var app = await fixture.StartLocalAsync(AppFixture.Sqlite);
        var browser = app.NewBrowser();
        var page = await (await browser.GetAsync("/account/setup")).Content.ReadAsStringAsync();
        var offered = TimeZoneOption().Matches(page).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).ToHashSet();
        var missing = ShopifyTimeZones.Where(zone => !offered.Contains(zone)).ToList();
        Assert.True(missing.Count == 0, "Not offered: " + string.Join(", ", missing));

        (string, string)[] Form(string timeZone) =>
        [
            ("Input.Email", "utc@example.com"), ("NewPassword.Password", LocalApp.Password), ("NewPassword.ConfirmPassword", LocalApp.Password),
            ("Input.StoreName", "UTC shop"), ("Input.ShopDomain", "utc-shop.myshopify.com"), ("Input.Currency", "USD"), ("Input.TimeZone", timeZone),
        ];
        var refused = await browser.Client.PostAsync("/account/setup", Browser.Form(await browser.AntiforgeryTokenAsync("/account/setup"), Form("Mars/Olympus_Mons")));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Choose the store", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var accepted = await browser.Client.PostAsync("/account/setup", Browser.Form(await browser.AntiforgeryTokenAsync("/account/setup"), Form("UTC")));

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal("UTC", await app.App.WithDbAsync(null, db => db.Stores.Select(s => s.TimeZone).SingleAsync()));
    }

    [Fact]
    public async Task Setup_owner_also_owns_a_store_that_exists_already()
    {
        await using var app = await fixture.StartLocalAsync(AppFixture.Sqlite);
        var storeId = await app.CreateStoreAsync("Imported before setup");
        var browser = app.NewBrowser();
        var page = await (await browser.GetAsync("/account/setup")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("Input.ShopDomain", page, StringComparison.Ordinal);

        var response = await browser.Client.PostAsync("/account/setup", Browser.Form(await browser.AntiforgeryTokenAsync("/account/setup"),
            ("Input.Email", "first@example.com"), ("NewPassword.Password", LocalApp.Password), ("NewPassword.ConfirmPassword", LocalApp.Password)));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var member = await app.App.WithDbAsync(storeId, db => db.StoreMembers.SingleAsync());
        Assert.Equal(StoreRole.Owner, member.Role);
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Wrong_passwords_lock_the_account_until_the_password_is_reset_by_email(string provider)
    {
        var app = await fixture.LocalAsync(provider);
        var storeId = await app.CreateStoreAsync();
        var member = await app.CreateMemberAsync(storeId, StoreRole.Viewer);
        var browser = app.NewBrowser();

        for (var attempt = 1; attempt < 5; attempt++)
        {
            var wrong = await browser.SignInAsync(member.Email, "not the password at all");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            var html = await wrong.Content.ReadAsStringAsync();
            Assert.True(html.Contains(SignInModel.WrongCredentials, StringComparison.Ordinal), html);
        }
        // The fifth wrong password locks the account: then even the right one is refused.
        var fifth = await browser.SignInAsync(member.Email, "not the password at all");
        Assert.Contains("locked", await fifth.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var locked = await browser.SignInAsync(member.Email, LocalApp.Password);
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        Assert.Contains("locked", await locked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var forgot = await browser.PostFormAsync("/account/forgot-password", ("Input.Email", member.Email.ToUpperInvariant()));
        Assert.Contains("data-testid=\"reset-sent\"", await forgot.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var mail = await fixture.Smtp.WaitForMessageToAsync(member.Email);
        var link = ResetLink().Match(mail.TextBody ?? "").Value;
        Assert.StartsWith(AppFixture.LocalPublicUrl + "/account/reset-password?", link, StringComparison.Ordinal);
        var path = link[AppFixture.LocalPublicUrl.Length..];

        var resetPage = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, resetPage.StatusCode);
        const string newPassword = "a completely new passphrase";
        var reset = await browser.Client.PostAsync(path, Browser.Form(await browser.AntiforgeryTokenAsync(path),
            ("NewPassword.Password", newPassword), ("NewPassword.ConfirmPassword", newPassword)));
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await browser.SignInAsync(member.Email, LocalApp.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(member.Email, newPassword)).StatusCode);
        // The link works once.
        var reuse = await browser.Client.PostAsync(path, Browser.Form(await browser.AntiforgeryTokenAsync(path),
            ("NewPassword.Password", "yet another passphrase here"), ("NewPassword.ConfirmPassword", "yet another passphrase here")));
        Assert.Contains(ResetPasswordModel.InvalidLink, await reuse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Password_reset_signs_out_every_other_session()
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);
        var storeId = await app.CreateStoreAsync();
        var member = await app.CreateMemberAsync(storeId, StoreRole.Marketer);
        var elsewhere = await app.SignInAsync(member.Email);
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync("/settings")).StatusCode);

        await app.NewBrowser().PostFormAsync("/account/forgot-password", ("Input.Email", member.Email));
        var path = ResetLink().Match((await fixture.Smtp.WaitForMessageToAsync(member.Email)).TextBody ?? "").Value[AppFixture.LocalPublicUrl.Length..];
        var browser = app.NewBrowser();
        await browser.Client.PostAsync(path, Browser.Form(await browser.AntiforgeryTokenAsync(path),
            ("NewPassword.Password", "the brand new passphrase"), ("NewPassword.ConfirmPassword", "the brand new passphrase")));

        var after = await elsewhere.GetAsync("/settings");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/sign-in", after.Headers.Location?.PathAndQuery ?? after.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forgot_password_answers_the_same_for_unknown_addresses_and_sends_nothing()
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);
        var member = await app.CreateMemberAsync(await app.CreateStoreAsync(), StoreRole.Viewer);
        var address = $"nobody-{Guid.NewGuid():N}@adintel.test";

        var unknown = await app.NewBrowser().PostFormAsync("/account/forgot-password", ("Input.Email", address));
        var known = await app.NewBrowser().PostFormAsync("/account/forgot-password", ("Input.Email", member.Email));

        Assert.Contains("data-testid=\"reset-sent\"", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("data-testid=\"reset-sent\"", await known.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The page answers once the SMTP server has taken the mail, so a known address's mail is already here, and any
        // mail to the unknown one, asked for before it, would be too.
        Assert.NotNull(fixture.Smtp.MessageTo(member.Email));
        Assert.Null(fixture.Smtp.MessageTo(address));
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Invited_person_creates_an_account_and_joins_with_the_invited_role(string provider)
    {
        var app = await fixture.LocalAsync(provider);
        var storeId = await app.CreateStoreAsync("Invitation shop");
        var owner = await app.CreateMemberAsync(storeId, StoreRole.Owner);
        var ownerBrowser = await app.SignInAsync(owner.Email);
        var invitee = $"new-{Guid.NewGuid().ToString("N")[..8]}@adintel.test";

        var invite = await ownerBrowser.PostHtmxAsync("/settings/members?handler=Invite", ("Invite.Email", invitee), ("Invite.Role", nameof(StoreRole.Accountant)));
        Assert.Equal(HttpStatusCode.OK, invite.StatusCode);
        Assert.Contains("Invitation sent to", await invite.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var mail = await fixture.Smtp.WaitForMessageToAsync(invitee);
        Assert.Contains("Invitation shop", mail.Subject, StringComparison.Ordinal);
        var path = InvitationLink().Match(mail.TextBody ?? "").Value[AppFixture.LocalPublicUrl.Length..];

        var newcomer = app.NewBrowser();
        var page = await (await newcomer.GetAsync(path)).Content.ReadAsStringAsync();
        Assert.Contains("an accountant", page, StringComparison.Ordinal);
        var accept = await newcomer.Client.PostAsync(path, Browser.Form(await newcomer.AntiforgeryTokenAsync(path),
            ("DisplayName", "Ada"), ("NewPassword.Password", LocalApp.Password), ("NewPassword.ConfirmPassword", LocalApp.Password)));

        Assert.Equal(HttpStatusCode.Redirect, accept.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await newcomer.GetAsync("/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await newcomer.GetAsync("/settings/members")).StatusCode);
        var member = await app.App.WithDbAsync(storeId, db => db.StoreMembers.SingleAsync(m => m.Email == invitee));
        Assert.Equal(StoreRole.Accountant, member.Role);
        var log = await app.App.WithDbAsync(storeId, db => db.AuditEntries.OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
        Assert.Equal(["invitation.created", "member.joined"], log);
        // The link works once.
        var second = await app.NewBrowser().GetAsync(path);
        Assert.Contains("data-testid=\"invitation-error\"", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_smtp_the_owner_gets_the_invitation_link_to_pass_on()
    {
        await using var app = await fixture.StartLocalAsync(AppFixture.Sqlite, new Dictionary<string, string?> { ["Smtp:Host"] = "" });
        var storeId = await app.CreateStoreAsync();
        var owner = await app.CreateMemberAsync(storeId, StoreRole.Owner);
        var browser = await app.SignInAsync(owner.Email);

        var invite = await browser.PostFormAsync("/settings/members?handler=Invite", ("Invite.Email", "no-smtp@adintel.test"), ("Invite.Role", "Marketer"));
        var link = ShownLink().Match(await invite.Content.ReadAsStringAsync()).Groups[1].Value;
        var path = link[AppFixture.LocalPublicUrl.Length..];
        var newcomer = app.NewBrowser();
        var accept = await newcomer.Client.PostAsync(path, Browser.Form(await newcomer.AntiforgeryTokenAsync(path),
            ("NewPassword.Password", LocalApp.Password), ("NewPassword.ConfirmPassword", LocalApp.Password)));

        Assert.StartsWith(AppFixture.LocalPublicUrl + "/account/accept-invitation?token=", link, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, accept.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await newcomer.GetAsync("/imports")).StatusCode);
        // Forgot-password says plainly that it cannot send anything.
        var forgot = await (await app.NewBrowser().GetAsync("/account/forgot-password")).Content.ReadAsStringAsync();
        Assert.Contains("cannot send e-mail", forgot, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invited_person_with_an_account_joins_with_their_password_and_can_switch_stores()
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);
        var first = await app.CreateStoreAsync("First shop");
        var second = await app.CreateStoreAsync("Second shop");
        var person = await app.CreateMemberAsync(first, StoreRole.Marketer);
        var owner = await app.CreateMemberAsync(second, StoreRole.Owner);
        var ownerBrowser = await app.SignInAsync(owner.Email);
        await ownerBrowser.PostFormAsync("/settings/members?handler=Invite", ("Invite.Email", person.Email), ("Invite.Role", nameof(StoreRole.Viewer)));
        var path = InvitationLink().Match((await fixture.Smtp.WaitForMessageToAsync(person.Email)).TextBody ?? "").Value[AppFixture.LocalPublicUrl.Length..];

        var browser = await app.SignInAsync(person.Email);
        var wrong = await browser.Client.PostAsync(path, Browser.Form(await browser.AntiforgeryTokenAsync(path), ("Password", "not my password at all")));
        Assert.Contains("not the password", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var accept = await browser.Client.PostAsync(path, Browser.Form(await browser.AntiforgeryTokenAsync(path), ("Password", LocalApp.Password)));
        Assert.Equal(HttpStatusCode.Redirect, accept.StatusCode);

        // Joined the second store as viewer and now works in it: settings are read only there.
        var settings = await (await browser.GetAsync("/settings")).Content.ReadAsStringAsync();
        Assert.Contains("can view these costs but not change them", settings, StringComparison.Ordinal);
        // The store menu names the current store and offers the other one.
        Assert.Matches("class=\"store-name\">Second shop<", settings);
        Assert.Matches("name=\"storeId\" value=\"" + first + "\"", settings);
        Assert.Contains("Signed in as <strong>" + person.Email, settings, StringComparison.Ordinal);
        var switchBack = await browser.PostFormAsync("/account/switch-store", ("storeId", first.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.Redirect, switchBack.StatusCode);
        var back = await (await browser.GetAsync("/settings")).Content.ReadAsStringAsync();
        Assert.Contains("First shop", back, StringComparison.Ordinal);
        Assert.DoesNotContain("can view these costs but not change them", back, StringComparison.Ordinal);
        // A store the account does not belong to cannot be switched to.
        var outsider = await app.CreateStoreAsync("Not mine");
        var refused = await browser.PostFormAsync("/account/switch-store", ("storeId", outsider.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
    }

    [Fact]
    public async Task Removed_member_loses_the_session_and_their_tokens_at_once()
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);
        var storeId = await app.CreateStoreAsync();
        var owner = await app.CreateMemberAsync(storeId, StoreRole.Owner);
        var other = await app.CreateMemberAsync(storeId, StoreRole.Owner);
        var otherBrowser = await app.SignInAsync(other.Email);
        var created = await otherBrowser.PostFormAsync("/settings/api-tokens?handler=Create", ("Input.Name", "their script"), ("Input.Role", "Viewer"));
        var secret = NewToken().Match(await created.Content.ReadAsStringAsync()).Groups[1].Value;
        var ownerBrowser = await app.SignInAsync(owner.Email);

        var removed = await ownerBrowser.PostHtmxAsync($"/settings/members?handler=Remove&id={other.MemberId}");

        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await otherBrowser.GetAsync("/settings")).StatusCode);
        var api = app.App.CreateClient();
        api.DefaultRequestHeaders.Authorization = new("Bearer", secret);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/settings")).StatusCode);
    }

    [Fact]
    public async Task The_last_owner_can_be_neither_removed_nor_demoted()
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);
        var storeId = await app.CreateStoreAsync();
        var owner = await app.CreateMemberAsync(storeId, StoreRole.Owner);
        var browser = await app.SignInAsync(owner.Email);

        var demote = await browser.PostHtmxAsync($"/settings/members?handler=ChangeRole&id={owner.MemberId}", ("role", nameof(StoreRole.Viewer)));
        var remove = await browser.PostHtmxAsync($"/settings/members?handler=Remove&id={owner.MemberId}");

        Assert.Contains(AdIntel.Web.Pages.Settings.MembersModel.LastOwner, await demote.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(AdIntel.Web.Pages.Settings.MembersModel.LastOwner, await remove.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var member = await app.App.WithDbAsync(storeId, db => db.StoreMembers.SingleAsync());
        Assert.Equal(StoreRole.Owner, member.Role);
    }

    [Fact]
    public async Task Role_change_takes_effect_on_the_next_request()
    {
        var app = await fixture.LocalAsync(AppFixture.Sqlite);
        var storeId = await app.CreateStoreAsync();
        var owner = await app.CreateMemberAsync(storeId, StoreRole.Owner);
        var marketer = await app.CreateMemberAsync(storeId, StoreRole.Marketer);
        var marketerBrowser = await app.SignInAsync(marketer.Email);
        Assert.Equal(HttpStatusCode.OK, (await marketerBrowser.GetAsync("/imports")).StatusCode);

        var ownerBrowser = await app.SignInAsync(owner.Email);
        await ownerBrowser.PostHtmxAsync($"/settings/members?handler=ChangeRole&id={marketer.MemberId}", ("role", nameof(StoreRole.Viewer)));

        var imports = await marketerBrowser.GetAsync("/imports");
        Assert.Equal(HttpStatusCode.Redirect, imports.StatusCode);
        Assert.Equal("/Error?status=403", imports.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Account_pages_do_not_exist_in_demo_mode()
    {
        await using var demo = await fixture.StartLocalAsync(AppFixture.Sqlite, new Dictionary<string, string?> { ["Auth:Mode"] = "Demo" });
        await demo.App.WithDbAsync(null, async db =>
        {
            db.Stores.Add(new Store { Name = "Demo", ShopDomain = $"demo-{Guid.NewGuid():N}.myshopify.com", IsDemo = true, CreatedAtUtc = DateTime.UtcNow });
            await db.SaveChangesAsync();
        });

        var response = await demo.NewBrowser().GetAsync("/account/sign-in");

        Assert.Equal("/Error?status=404", response.Headers.Location?.OriginalString);
    }

    [GeneratedRegex("<option(?: [^>]*)?>([^<]+)</option>")]
    private static partial Regex TimeZoneOption();

    [GeneratedRegex(@"https://\S+/account/reset-password\?\S+")]
    private static partial Regex ResetLink();

    [GeneratedRegex(@"https://\S+/account/accept-invitation\?token=[A-Za-z0-9_-]+")]
    private static partial Regex InvitationLink();

    [GeneratedRegex("data-testid=\"invitation-link\">([^<]+)<")]
    private static partial Regex ShownLink();

    [GeneratedRegex("data-testid=\"new-token\">([^<]+)<")]
    private static partial Regex NewToken();
}
