using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Htmx;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Integrations;
using AdIntel.Web.Integrations.Meta;
using AdIntel.Web.Integrations.Sync;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Settings;

/// <summary>
/// Settings → Integrations: each connection (Shopify, Meta) with its status, live sync progress (polled while a sync
/// runs), last success and error, "sync now", connect and disconnect; the Meta ad-account choice after Facebook Login;
/// and the store's privacy requests from Shopify.
/// </summary>
[Authorize(Policy = Policies.Owner)]
public sealed class IntegrationsModel(AdIntelDbContext db, IntegrationSchedules schedules, StoreContext store, IntegrationTokenProtector tokens,
    MetaGraphClient meta, SyncRunRecorder syncRuns) : PageModel
{
    public ConnectionCard Shopify { get; private set; } = null!;
    public ConnectionCard Meta { get; private set; } = null!;
    public IReadOnlyList<MetaAdAccount> MetaAccounts { get; private set; } = [];
    public string? MetaAccountsProblem { get; private set; }
    public IReadOnlyList<ComplianceRequest> ComplianceRequests { get; private set; } = [];
    public string StoreShopDomain { get; private set; } = "";

    [TempData]
    public string? Flash { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Shopify = await CardAsync(IntegrationProviders.Shopify, cancellationToken);
        Meta = await CardAsync(IntegrationProviders.Meta, cancellationToken);
        StoreShopDomain = await db.Stores.Where(s => s.Id == store.RequiredStoreId).Select(s => s.ShopDomain).SingleAsync(cancellationToken);
        ComplianceRequests = await db.ComplianceRequests.AsNoTracking().OrderByDescending(r => r.ReceivedAtUtc).Take(20).ToListAsync(cancellationToken);
        if (Meta.Connection is { Status: IntegrationStatuses.NeedsAccount } pending && tokens.Unprotect(pending.EncryptedAccessToken) is { } token)
        {
            try
            {
                MetaAccounts = await meta.GetAdAccountsAsync(token, cancellationToken);
                MetaAccountsProblem = MetaAccounts.Count == 0 ? "This Facebook user has no ad accounts. Ask the account's admin to add you, then connect again." : null;
            }
            catch (MetaApiException ex)
            {
                MetaAccountsProblem = $"Meta did not list the ad accounts ({ex.Message}). Reload the page to try again.";
            }
        }
    }

    /// <summary>One connection's card: the fragment the page polls while its sync runs.</summary>
    public async Task<IActionResult> OnGetCardAsync(string provider, CancellationToken cancellationToken)
    {
        if (provider is not (IntegrationProviders.Shopify or IntegrationProviders.Meta))
        {
            return NotFound();
        }
        var card = await CardAsync(provider, cancellationToken);
        return this.PartialOr("_IntegrationCard", card, RedirectToPage());
    }

    public async Task<IActionResult> OnPostSyncAsync(string provider, CancellationToken cancellationToken)
    {
        var card = provider is IntegrationProviders.Shopify or IntegrationProviders.Meta ? await CardAsync(provider, cancellationToken) : null;
        if (card?.Connection is not { Status: IntegrationStatuses.Connected or IntegrationStatuses.Error })
        {
            Flash = "Connect it first: there is nothing to sync.";
            return RedirectToPage();
        }
        schedules.Ensure(store.RequiredStoreId);
        schedules.SyncNow(store.RequiredStoreId, provider);
        if (Request.IsHtmxFragmentRequest())
        {
            // Show the queued sync at once; the card polls until it finishes.
            return Partial("_IntegrationCard", card with { Queued = true });
        }
        Flash = $"{card.Title} sync started.";
        return RedirectToPage();
    }

    private async Task<ConnectionCard> CardAsync(string provider, CancellationToken cancellationToken)
    {
        var connection = await db.IntegrationConnections.AsNoTracking().SingleOrDefaultAsync(c => c.Provider == provider, cancellationToken);
        var runs = connection is null ? [] : await db.SyncRuns.AsNoTracking().Where(r => r.ConnectionId == connection.Id)
            .OrderByDescending(r => r.Id).Take(5).ToListAsync(cancellationToken);
        return new ConnectionCard(provider, connection, runs, syncRuns.StaleBefore, false);
    }

    /// <summary>What a connection's card shows.</summary>
    /// <param name="StaleBefore">A running sync that has not beaten since then is dead, not shown as running.</param>
    public sealed record ConnectionCard(string Provider, IntegrationConnection? Connection, IReadOnlyList<SyncRun> RecentRuns, DateTime StaleBefore, bool Queued)
    {
        public string Title => Provider == IntegrationProviders.Shopify ? "Shopify" : "Meta Ads";

        public SyncRun? Running => RecentRuns.FirstOrDefault(r => r.IsLive(StaleBefore));

        public SyncRun? Last => RecentRuns.FirstOrDefault(r => r.Status != RunStatuses.Running);

        /// <summary>A connection that has never synced is about to (its first sync is queued when it connects).</summary>
        public bool AwaitingFirstSync => Connection is { Status: IntegrationStatuses.Connected } && RecentRuns.Count == 0;

        public bool Polling => Queued || Running is not null || AwaitingFirstSync;

        public bool CanSync => Connection is { Status: IntegrationStatuses.Connected or IntegrationStatuses.Error };

        public int? Percent => Running is { Total: > 0 } run ? (int)Math.Clamp(run.Processed * 100 / run.Total.Value, 0, 100) : null;

        public string StatusLabel => Connection?.Status switch
        {
            null or IntegrationStatuses.Disconnected => "Not connected",
            IntegrationStatuses.NeedsAccount => "Choose an ad account",
            IntegrationStatuses.Error => "Needs attention",
            _ => "Connected",
        };

        public string StatusTone => Connection?.Status switch
        {
            IntegrationStatuses.Connected => "success",
            IntegrationStatuses.Error or IntegrationStatuses.NeedsAccount => "warning",
            _ => "",
        };
    }
}
