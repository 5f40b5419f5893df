using System.Text.Json;
using AdIntel.Web.Alerts;
using AdIntel.Web.Brain.Llm;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Metrics;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Snapshots;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Brain.Recommendations;

/// <summary>A recommendation as a screen or the API shows it: what it says, whether it is open, dismissed or snoozed, and its action's approval.</summary>
public sealed record RecommendationItem(Recommendation Recommendation, string State, DateTime? SnoozedUntilUtc, DateTime FirstSeenAtUtc,
    DateTime ComputedAtUtc, RecommendationApproval? Approval)
{
    public const string Open = "open";
    public const string Dismissed = "dismissed";
    public const string Snoozed = "snoozed";

    public static IReadOnlyList<string> States { get; } = [Open, Dismissed, Snoozed];

    public bool IsOpen => State == Open;
}

/// <summary>The action a recommendation sent to the approval queue, and where it stands there.</summary>
public sealed record RecommendationApproval(long ActionId, string Status)
{
    public bool IsPending => Status == ActionStatuses.PendingApproval;
}

/// <summary>The store's current recommendations (open and hidden) and when they were computed (null: never).</summary>
public sealed record RecommendationBoard(DateTime? ComputedAtUtc, IReadOnlyList<RecommendationItem> Items)
{
    public IReadOnlyList<RecommendationItem> Open => [.. Items.Where(i => i.IsOpen)];
    public IReadOnlyList<RecommendationItem> Hidden => [.. Items.Where(i => !i.IsOpen)];
}

/// <summary>What a dismiss, snooze, restore or send did: the item, or the HTTP status, error code and sentence of a refusal.</summary>
public sealed record RecommendationCommandResult(int Status, string Message, RecommendationItem? Item = null, string? Code = null)
{
    public bool Ok => Status == StatusCodes.Status200OK;

    public static RecommendationCommandResult NotFound() =>
        new(StatusCodes.Status404NotFound, "Recommendation was not found (it may no longer apply: recommendations are recomputed every hour).", null, "not_found");
}

/// <summary>
/// The current store's recommendations: computes them (<see cref="RecommendationEngine"/> over a context loaded from the
/// rules' snapshot, the metrics, the targets, the safety rails and tracking health) and keeps the current set per
/// store, so screens read it fast; dismisses, snoozes and restores them; and sends a recommendation's action to the
/// approval queue through <see cref="ActionExecutor"/>, the one way actions reach an ad platform.
/// </summary>
public sealed class RecommendationService(AdIntelDbContext db, StoreContext storeContext, MetricsService metrics, RuleSnapshotBuilder snapshots,
    ActionExecutor executor, RecommendationNarrator narrator, AlertWriter alerts, TimeProvider time, ILogger<RecommendationService> logger)
{
    /// <summary>"recommendation": the <see cref="ActionRecord.Source"/> of actions a recommendation sent.</summary>
    public const string ActionSource = "recommendation";

    /// <summary>A dismissal is forgotten once its recommendation has not come back for this long (a new problem then shows again).</summary>
    public const int DismissalMemoryDays = 7;

    public const int MaxSnoozeDays = 90;

    /// <summary>First key of the PostgreSQL advisory lock that serialises computations of one store ("RECO").</summary>
    private const int ComputeLockClass = 0x5245434F;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Loads what the engine judges, as of now.</summary>
    public async Task<RecommendationContext> LoadContextAsync(CancellationToken cancellationToken)
    {
        var storeId = storeContext.RequiredStoreId;
        var store = await db.Stores.AsNoTracking().Where(s => s.Id == storeId)
            .Select(s => new { s.Id, s.Name, s.ShopDomain, s.Currency }).SingleAsync(cancellationToken);
        var session = await executor.BeginAsync(cancellationToken);
        var snapshot = await snapshots.BuildAsync(time.GetUtcNow(), cancellationToken);
        var today = snapshot.Today;
        var (window7, window30) = (DatePreset.Last7Days.RangeEndingOn(today), DatePreset.Last30Days.RangeEndingOn(today));
        var (last30, previous30) = await metrics.GetComparisonAsync(window30, cancellationToken);
        var last7 = await metrics.GetKpisAsync(window7, cancellationToken);
        var settings = await db.StoreSettings.AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? new StoreSettings();
        var budgets = await db.AdSets.AsNoTracking().Select(a => new { a.Id, a.DailyBudget }).ToDictionaryAsync(a => a.Id, a => a.DailyBudget, cancellationToken);
        var brokenDays = session.Tracking.BrokenDays.ToList();
        var brokenFacts = brokenDays.Count == 0
            ? []
            : await db.DailyFacts.AsNoTracking().Where(f => brokenDays.Contains(f.Date)).OrderBy(f => f.Date).ToListAsync(cancellationToken);
        return new RecommendationContext
        {
            Today = today,
            NowUtc = snapshot.AsOf.UtcDateTime,
            TimeZone = session.TimeZone,
            Store = new RecommendationEntity("store", store.Id, store.ShopDomain, store.Name),
            Format = new MetricFormatter(store.Currency),
            Targets = StoreTargets.From(settings),
            Rails = session.Settings,
            Ledger = session.Ledger,
            Tracking = session.Tracking,
            Snapshot = snapshot,
            AdSetBudgets = budgets,
            Last7Days = last7,
            Last30Days = last30,
            Previous30Days = previous30,
            BrokenDayFacts = brokenFacts,
        };
    }

    /// <summary>Computes the store's recommendations now and stores them as its current set.</summary>
    public async Task<IReadOnlyList<Recommendation>> ComputeAsync(CancellationToken cancellationToken)
    {
        var context = await LoadContextAsync(cancellationToken);
        var recommendations = RecommendationEngine.Recommend(context);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StoreAsync(recommendations, context.NowUtc, cancellationToken);
                break;
            }
            catch (DbUpdateException ex) when (attempt < 3)
            {
                // Another computation of the same store inserted a key first (SQLite has no advisory lock): start over from its rows.
                logger.LogInformation(ex, "Recommendations of store {StoreId} were written concurrently; writing again", storeContext.RequiredStoreId);
                db.ChangeTracker.Clear();
            }
        }
        await RaiseAlertsAsync(recommendations, cancellationToken);
        return recommendations;
    }

    /// <summary>
    /// High-priority fixes (data the numbers rest on, such as missing product costs) are alerts too, resolved when the
    /// recommendation disappears. Tracking has its own alerts (tracking health), so its fix is left out here.
    /// </summary>
    private async Task RaiseAlertsAsync(IReadOnlyList<Recommendation> recommendations, CancellationToken cancellationToken)
    {
        var holding = new List<string>();
        foreach (var fix in recommendations.Where(r => r.Type == RecommendationTypes.Fix && r.Priority == RecommendationPriorities.High
            && !r.Key.StartsWith(TrackingFixKeyPrefix, StringComparison.Ordinal)))
        {
            var window = fix.Figures.Select(f => f.Window).Distinct().ToList();
            var alert = await alerts.RaiseAsync(new AlertSignal
            {
                Source = AlertSources.Recommendation,
                Type = fix.Key[..fix.Key.LastIndexOf(':')].Replace(':', '_'),
                ConditionKey = "recommendation:" + fix.Key,
                Severity = AlertSeverities.High,
                Title = fix.Title,
                Message = fix.Reasoning,
                NextStep = "Open the recommendation on the overview and follow it.",
                EntityType = fix.Entities.FirstOrDefault()?.Scope ?? "system",
                EntityId = fix.Entities.FirstOrDefault() is { Scope: not "store" } entity ? entity.Id : null,
                EntityName = fix.Entities.FirstOrDefault() is { Scope: not "store" } named ? named.Name : null,
                Evidence = new AlertEvidence([.. fix.Figures.Select(f => new AlertFigure(window.Count > 1 ? $"{f.Name} ({f.Window})" : f.Name, f.Value, f.Unit))]),
            }, cancellationToken);
            holding.Add(alert.ConditionKey);
        }
        await alerts.ResolveClearedAsync(AlertSources.Recommendation, holding, cancellationToken);
    }

    private const string TrackingFixKeyPrefix = RecommendationTypes.Fix + ":tracking:";

    /// <summary>
    /// The current set; computed first when the store has data but none was ever computed (a store that just got its
    /// first data, before its job ran).
    /// </summary>
    public async Task<RecommendationBoard> GetBoardAsync(CancellationToken cancellationToken)
    {
        var computedAt = await db.StoreSettings.AsNoTracking().Select(s => s.RecommendationsComputedAtUtc).FirstOrDefaultAsync(cancellationToken);
        if (computedAt is null && await metrics.HasDataAsync(cancellationToken))
        {
            await ComputeAsync(cancellationToken);
            computedAt = await db.StoreSettings.AsNoTracking().Select(s => s.RecommendationsComputedAtUtc).FirstOrDefaultAsync(cancellationToken);
        }
        var rows = await db.Recommendations.AsNoTracking().Where(r => r.IsCurrent).OrderBy(r => r.Rank).ThenBy(r => r.Key).ToListAsync(cancellationToken);
        var approvals = await ApprovalsAsync(rows, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        return new RecommendationBoard(computedAt, [.. rows.Select(r => ToItem(r, approvals, now))]);
    }

    /// <summary>Whether <see cref="NarrateAsync"/> can ask an LLM (else it returns the engine's own text at once).</summary>
    public bool CanNarrate => narrator.IsConfigured;

    /// <summary>
    /// The open recommendations in plain language: the LLM's rewrite of each title and reasoning where it passed every
    /// check (schema, and every number one of the recommendation's figures), else the engine's own text; plus what the
    /// LLM added, citing given figures. Only words change: keys, figures, impact and actions stay the engine's, so an
    /// action still goes only to the approval queue and its rails.
    /// </summary>
    public Task<NarrationResult> NarrateAsync(RecommendationBoard board, CancellationToken cancellationToken) =>
        narrator.NarrateAsync([.. board.Open.Select(i => NarrationInputOf(i.Recommendation))], cancellationToken);

    private static NarrationInput NarrationInputOf(Recommendation recommendation) => new(recommendation.Key, recommendation.Type,
        recommendation.Title, recommendation.Reasoning,
        [.. recommendation.Figures.Select(f => new NarrationFigure(f.Name, FigureSheet.Round(f), f.Unit, f.Window))]);

    public Task<RecommendationCommandResult> DismissAsync(string key, string actor, CancellationToken cancellationToken) =>
        ChangeAsync(key, row =>
        {
            row.DismissedAtUtc = time.GetUtcNow().UtcDateTime;
            row.DismissedBy = Truncate(actor);
            row.SnoozedUntilUtc = null;
            row.SnoozedBy = null;
            return "Dismissed: it stays hidden while it applies.";
        }, cancellationToken);

    public Task<RecommendationCommandResult> SnoozeAsync(string key, int days, string actor, CancellationToken cancellationToken)
    {
        if (days is < 1 or > MaxSnoozeDays)
        {
            return Task.FromResult(new RecommendationCommandResult(StatusCodes.Status422UnprocessableEntity,
                $"Snooze for 1 to {MaxSnoozeDays} days.", null, "invalid_snooze"));
        }
        return ChangeAsync(key, row =>
        {
            row.SnoozedUntilUtc = time.GetUtcNow().UtcDateTime.AddDays(days);
            row.SnoozedBy = Truncate(actor);
            row.DismissedAtUtc = null;
            row.DismissedBy = null;
            return $"Snoozed for {days} {(days == 1 ? "day" : "days")}: it comes back then if it still applies.";
        }, cancellationToken);
    }

    public Task<RecommendationCommandResult> RestoreAsync(string key, CancellationToken cancellationToken) =>
        ChangeAsync(key, row =>
        {
            row.DismissedAtUtc = null;
            row.DismissedBy = null;
            row.SnoozedUntilUtc = null;
            row.SnoozedBy = null;
            return "Restored.";
        }, cancellationToken);

    /// <summary>
    /// Puts the recommendation's action in the approval queue, as any automation's proposal: the safety rails decide it
    /// (a recommendation proposes with the risk and mode of a suggestion, so nothing runs before a person approves it),
    /// and approving it judges the rails again against the entity as it is then.
    /// </summary>
    public async Task<RecommendationCommandResult> SendToApprovalsAsync(string key, CancellationToken cancellationToken)
    {
        var row = await db.Recommendations.SingleOrDefaultAsync(r => r.Key == key && r.IsCurrent, cancellationToken);
        if (row is null)
        {
            return RecommendationCommandResult.NotFound();
        }
        var recommendation = Read(row);
        if (recommendation.Action is not { } action || !RuleScopes.TryParse(action.Scope, out var scope))
        {
            return new(StatusCodes.Status409Conflict, "This recommendation has no action to approve: it asks you to look into something.", null, "no_action");
        }
        var session = await executor.BeginAsync(cancellationToken);
        var proposal = new ActionProposal
        {
            Source = ActionSource,
            Scope = scope,
            EntityId = action.EntityId,
            Action = action.Spec,
            Evidence = new EntityEvidence(action.Evidence.Spend7d, action.Evidence.Impressions7d, action.Evidence.Purchases7d),
        };
        var now = time.GetUtcNow().UtcDateTime;
        var origin = new ProposalOrigin(
            $"{ActionSource}:{key}:{now.Ticks}", null, null, action.EntityExternalId, action.EntityName,
            recommendation.Figures.ToDictionary(f => f.Name, f => (object?)FigureSheet.Round(f)));
        var outcome = await executor.ProposeAsync(session, proposal, origin, cancellationToken);
        if (outcome.Result is not (ActionOutcome.Queued or ActionOutcome.AlreadyPending) || outcome.ActionId is not { } actionId)
        {
            return new(StatusCodes.Status409Conflict, "The safety rails refuse it now: " + outcome.Reason, null, "refused_by_rails");
        }
        row.ActionRecordId = actionId;
        await db.SaveChangesAsync(cancellationToken);
        return new(StatusCodes.Status200OK,
            outcome.Result == ActionOutcome.Queued ? "Sent to the approval queue." : "The same action already waits for approval.",
            await ItemAsync(row.Id, cancellationToken));
    }

    private async Task<RecommendationCommandResult> ChangeAsync(string key, Func<RecommendationRecord, string> change, CancellationToken cancellationToken)
    {
        var row = await db.Recommendations.SingleOrDefaultAsync(r => r.Key == key && r.IsCurrent, cancellationToken);
        if (row is null)
        {
            return RecommendationCommandResult.NotFound();
        }
        var message = change(row);
        await db.SaveChangesAsync(cancellationToken);
        return new(StatusCodes.Status200OK, message, await ItemAsync(row.Id, cancellationToken));
    }

    private async Task<RecommendationItem> ItemAsync(long id, CancellationToken cancellationToken)
    {
        var row = await db.Recommendations.AsNoTracking().SingleAsync(r => r.Id == id, cancellationToken);
        return ToItem(row, await ApprovalsAsync([row], cancellationToken), time.GetUtcNow().UtcDateTime);
    }

    /// <summary>Writes the computed set: updates rows by key, drops those no longer produced unless a dismissal or snooze keeps them.</summary>
    private async Task StoreAsync(IReadOnlyList<Recommendation> recommendations, DateTime nowUtc, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Database.IsNpgsql())
        {
            var storeKey = (int)storeContext.RequiredStoreId;
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ComputeLockClass}, {storeKey})", cancellationToken);
        }
        var rows = await db.Recommendations.ToDictionaryAsync(r => r.Key, StringComparer.Ordinal, cancellationToken);
        for (var rank = 0; rank < recommendations.Count; rank++)
        {
            var recommendation = recommendations[rank];
            if (!rows.Remove(recommendation.Key, out var row))
            {
                row = new RecommendationRecord { Key = recommendation.Key, Type = recommendation.Type, Priority = recommendation.Priority, FirstSeenAtUtc = nowUtc };
                db.Recommendations.Add(row);
            }
            row.Type = recommendation.Type;
            row.Priority = recommendation.Priority;
            row.Rank = rank;
            row.PayloadJson = JsonSerializer.Serialize(recommendation, Json);
            row.IsCurrent = true;
            row.ComputedAtUtc = nowUtc;
        }
        foreach (var gone in rows.Values)
        {
            var remembered = (gone.DismissedAtUtc is not null && gone.ComputedAtUtc > nowUtc.AddDays(-DismissalMemoryDays)) || gone.SnoozedUntilUtc > nowUtc;
            if (remembered)
            {
                gone.IsCurrent = false;
            }
            else
            {
                db.Recommendations.Remove(gone);
            }
        }
        var settings = await db.GetOrCreateStoreSettingsAsync(time, cancellationToken);
        settings.RecommendationsComputedAtUtc = nowUtc;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<Dictionary<long, string>> ApprovalsAsync(IReadOnlyList<RecommendationRecord> rows, CancellationToken cancellationToken)
    {
        var ids = rows.Where(r => r.ActionRecordId is not null).Select(r => r.ActionRecordId!.Value).ToList();
        return ids.Count == 0
            ? []
            : await db.ActionRecords.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Status, cancellationToken);
    }

    private static RecommendationItem ToItem(RecommendationRecord row, Dictionary<long, string> approvals, DateTime nowUtc)
    {
        var state = row.DismissedAtUtc is not null ? RecommendationItem.Dismissed
            : row.SnoozedUntilUtc > nowUtc ? RecommendationItem.Snoozed
            : RecommendationItem.Open;
        var approval = row.ActionRecordId is { } id && approvals.TryGetValue(id, out var status) ? new RecommendationApproval(id, status) : null;
        return new RecommendationItem(Read(row), state, state == RecommendationItem.Snoozed ? row.SnoozedUntilUtc : null, row.FirstSeenAtUtc,
            row.ComputedAtUtc, approval);
    }

    private static Recommendation Read(RecommendationRecord row) =>
        JsonSerializer.Deserialize<Recommendation>(row.PayloadJson, Json) ?? throw new InvalidOperationException($"Recommendation {row.Key} has no payload.");

    private static string Truncate(string actor) => actor.Length <= 256 ? actor : actor[..256];
}
