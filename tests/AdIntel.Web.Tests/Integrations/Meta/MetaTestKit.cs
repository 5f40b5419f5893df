using System.Net;
using AdIntel.Fakes;
using AdIntel.Web.Domain;
using AdIntel.Web.Tests.Security;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Tests.Integrations.Meta;

/// <summary>Connecting a local app to the fake Graph API the way a merchant does, and waiting for its syncs.</summary>
public static class MetaTestKit
{
    public static Dictionary<string, string?> Settings(FakeServer meta) => new()
    {
        ["Meta:GraphBaseUrl"] = meta.MetaBaseUrl,
        ["Meta:DialogBaseUrl"] = meta.MetaBaseUrl,
        ["Meta:AppId"] = meta.Meta.AppId,
        ["Meta:AppSecret"] = meta.Meta.AppSecret,
        ["Meta:RetryBaseDelay"] = "00:00:00.010",
        ["Meta:ReportPollInterval"] = "00:00:00.020",
        ["Meta:BackfillDays"] = "60",
    };

    /// <summary>Settings → Integrations → Connect Meta, consent at the fake's dialog, back to the callback.</summary>
    public static async Task ConnectAsync(Browser browser, FakeServer meta)
    {
        var callback = await ConsentAsync(await StartConnectAsync(browser));
        using var back = await browser.GetAsync(callback);
        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal("/settings/integrations?connected=meta", back.Headers.Location!.OriginalString);
    }

    public static async Task<Uri> StartConnectAsync(Browser browser)
    {
        using var connect = await browser.GetAsync("/integrations/meta/connect");
        Assert.Equal(HttpStatusCode.Redirect, connect.StatusCode);
        return connect.Headers.Location!;
    }

    /// <summary>The fake's dialog consents at once and redirects to our callback; returns that path and query.</summary>
    public static async Task<string> ConsentAsync(Uri dialog)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var consent = await http.GetAsync(dialog);
        Assert.Equal(HttpStatusCode.Redirect, consent.StatusCode);
        return consent.Headers.Location!.PathAndQuery;
    }

    /// <summary>Waits for the <paramref name="runs"/>th finished run of the sync named <paramref name="sync"/> and returns it.</summary>
    public static async Task<SyncRun> WaitForSyncAsync(AdIntelApp app, long storeId, int runs, string sync = "meta")
    {
        List<SyncRun> finished = [];
        await Eventually.HoldsAsync(async () =>
        {
            finished = await app.WithDbAsync(storeId, db => db.SyncRuns.AsNoTracking().Where(r => r.Sync == sync && r.Status != RunStatuses.Running).OrderBy(r => r.Id).ToListAsync());
            return finished.Count >= runs;
        }, $"Sync {runs} did not finish", TimeSpan.FromSeconds(90));
        return finished[runs - 1];
    }
}
