using System.Globalization;
using System.Text.Json;
using AdIntel.Plugins.Abstractions;
using AdIntel.Web.Alerts;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Metrics;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Snapshots;
using AdIntel.Web.Tracking;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Rules.Actions;

/// <summary>What the rails and the store's state are for one run (or one approval): loaded once by <see cref="ActionExecutor.BeginAsync"/>.</summary>
public sealed class ActionSession(RailSettings settings, RailLedger ledger, TrackingStatus tracking, TimeZoneInfo timeZone,
    IReadOnlyDictionary<long, CampaignAutomationSetting> campaignAutomation, Dictionary<PendingKey, long> pendingApprovals)
{
    public RailSettings Settings { get; } = settings;
    public RailLedger Ledger { get; } = ledger;
    public TrackingStatus Tracking { get; } = tracking;
    public TimeZoneInfo TimeZone { get; } = timeZone;

    /// <summary>The campaigns whose automation setting is not the store's (usually none), by id.</summary>
    public IReadOnlyDictionary<long, CampaignAutomationSetting> CampaignAutomation { get; } = campaignAutomation;

    /// <summary>
    /// The actions waiting for approval when the session began, and those it queued since (by rule, entity and type),
    /// so a run asks the database once, not once per matched entity.
    /// </summary>
    public Dictionary<PendingKey, long> PendingApprovals { get; } = pendingApprovals;

    /// <summary>Idempotency keys known to be taken (see <see cref="ActionExecutor.RememberRuleSlotAsync"/>).</summary>
    public HashSet<string> TakenKeys { get; } = new(StringComparer.Ordinal);
}

/// <summary>One rule's action on one entity: at most one of these waits for approval at a time.</summary>
public readonly record struct PendingKey(long? RuleId, string EntityScope, long EntityId, string Type);

/// <summary>Where a proposal comes from and how to record it.</summary>
/// <param name="IdempotencyKey">The same key never acts twice (rule × slot × entity × action for rules).</param>
public sealed record ProposalOrigin(string IdempotencyKey, long? RuleExecutionId, string? RuleName, string EntityExternalId, string EntityName,
    IReadOnlyDictionary<string, object?> Evidence);

/// <summary>What became of a proposal: executed, queued, blocked, no_change, duplicate, already_pending or failed.</summary>
public sealed record ActionOutcome(string Result, string Reason, long? ActionId = null)
{
    public const string Executed = "executed";
    public const string Queued = "queued";
    public const string Blocked = "blocked";
    public const string NoChange = "no_change";
    public const string Duplicate = "duplicate";
    public const string AlreadyPending = "already_pending";
    public const string Failed = "failed";
}

/// <summary>The answer to approve, reject and undo: the record, or the HTTP status and sentence of a refusal.</summary>
public sealed record ActionCommandResult(ActionRecord? Record, int Status, string Message)
{
    public bool Ok => Record is not null && Status == 200;

    public static ActionCommandResult Done(ActionRecord record, string message) => new(record, 200, message);

    public static ActionCommandResult NotFound() => new(null, 404, "Action was not found.");

    public static ActionCommandResult Conflict(ActionRecord? record, string message) => new(record, 409, message);

    /// <summary>A person's change beyond the daily budget rail, not applied: the message says why the rail exists.</summary>
    public static ActionCommandResult ConfirmationRequired(string message) => new(null, 428, message);

    /// <summary>Nothing to change (already paused, budget already there): 200 without a record.</summary>
    public static ActionCommandResult NoChange(string message) => new(null, 200, message);
}

/// <summary>
/// The one way actions reach an ad platform, for every source: asks <see cref="SafetyRails"/>, records an
/// <see cref="ActionRecord"/> (claimed by its idempotency key before anything is applied, so a retried run never acts
/// twice), applies it through <see cref="IAdPlatform"/> with the values before and after, queues what needs approval,
/// and approves, rejects and undoes. Scoped to the current store; every change is audited.
/// </summary>
public sealed class ActionExecutor(AdIntelDbContext db, IAdPlatform platform, IAuditLog audit, StoreContext storeContext, TimeProvider time,
    AlertWriter alerts, TrackingMonitor trackingMonitor, ILogger<ActionExecutor> logger)
{
    /// <summary>"person": the <see cref="ActionRecord.Source"/> of changes made by hand.</summary>
    public const string ManualSource = "person";

    /// <summary>Loads the store's rail settings, the executed actions the rails count, and the tracking health.</summary>
    public async Task<ActionSession> BeginAsync(CancellationToken cancellationToken)
    {
        var storeId = storeContext.RequiredStoreId;
        var timeZoneId = await db.Stores.AsNoTracking().Where(s => s.Id == storeId).Select(s => s.TimeZone).SingleAsync(cancellationToken);
        var timeZone = StoreClock.ResolveTimeZone(timeZoneId);
        var storeSettings = await db.StoreSettings.AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? new StoreSettings();
        var settings = RailSettings.From(storeSettings);
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, timeZone).DateTime);
        var dayStartUtc = TimeZoneInfo.ConvertTimeToUtc(today.ToDateTime(TimeOnly.MinValue), timeZone);
        var since = new[] { dayStartUtc, now.UtcDateTime.AddHours(-settings.CooldownHours) }.Min();
        var executed = await db.ActionRecords.AsNoTracking()
            .Where(a => a.ExecutedAtUtc != null && a.ExecutedAtUtc >= since)
            .Select(a => new { a.EntityScope, a.EntityId, a.RuleId, a.Type, a.ExecutedAtUtc, a.BudgetBefore, a.DecidedBy })
            .ToListAsync(cancellationToken);
        var ledger = new RailLedger(dayStartUtc, executed.Select(a => new LedgerEntry(
            RuleScopes.TryParse(a.EntityScope, out var scope) ? scope : RuleScope.Ad, a.EntityId, a.RuleId, a.Type, a.ExecutedAtUtc!.Value,
            a.BudgetBefore, a.DecidedBy is null)));
        var tracking = await trackingMonitor.StatusAsync(settings.TrackingDropPercent, cancellationToken);
        var campaignAutomation = await db.Campaigns.AsNoTracking().Where(c => c.Automation != CampaignAutomation.Inherit)
            .Select(c => new { c.Id, c.Automation, c.Name })
            .ToDictionaryAsync(c => c.Id, c => new CampaignAutomationSetting(c.Automation, c.Name), cancellationToken);
        var pendingApprovals = new Dictionary<PendingKey, long>();
        foreach (var pending in await db.ActionRecords.AsNoTracking().Where(a => a.Status == ActionStatuses.PendingApproval).OrderBy(a => a.Id)
            .Select(a => new { a.Id, a.RuleId, a.EntityScope, a.EntityId, a.Type }).ToListAsync(cancellationToken))
        {
            pendingApprovals.TryAdd(new PendingKey(pending.RuleId, pending.EntityScope, pending.EntityId, pending.Type), pending.Id);
        }
        return new ActionSession(settings, ledger, tracking, timeZone, campaignAutomation, pendingApprovals);
    }

    /// <summary>
    /// Decides and carries out one proposal: executes it, queues it for approval, or says why not.
    /// <paramref name="seen"/> is the entity as the caller's snapshot saw it (a rule run): what the rails refuse on that
    /// state (a cooldown, nothing to change) is answered without the database, so a run over thousands of entities
    /// pays only for what may act; anything that may act is decided again on the platform's state now.
    /// </summary>
    public async Task<ActionOutcome> ProposeAsync(ActionSession session, ActionProposal proposal, ProposalOrigin origin, CancellationToken cancellationToken,
        AdEntityState? seen = null)
    {
        var scopeName = proposal.Scope.ToApiName();
        var pendingKey = new PendingKey(proposal.RuleId, scopeName, proposal.EntityId, proposal.Action.Type);
        var now = time.GetUtcNow().UtcDateTime;
        var campaign = await CampaignAutomationAsync(session, proposal.Scope, proposal.EntityId, cancellationToken);
        if (seen is not null)
        {
            if (session.TakenKeys.Contains(origin.IdempotencyKey))
            {
                return new(ActionOutcome.Duplicate, "Already handled in this run slot.");
            }
            if (session.PendingApprovals.TryGetValue(pendingKey, out var waiting))
            {
                return new(ActionOutcome.AlreadyPending, "The same action already waits for approval.", waiting);
            }
            var early = SafetyRails.Decide(proposal, seen, session.Settings, session.Ledger, session.Tracking, now, approvedByPerson: false, campaign);
            switch (early.Verdict)
            {
                case RailVerdict.NoChange:
                    return new(ActionOutcome.NoChange, early.Reason);
                case RailVerdict.Blocked:
                    return new(ActionOutcome.Blocked, early.Reason);
            }
        }
        if (await db.ActionRecords.AsNoTracking().AnyAsync(a => a.IdempotencyKey == origin.IdempotencyKey, cancellationToken))
        {
            return new(ActionOutcome.Duplicate, "Already handled in this run slot.");
        }
        if (session.PendingApprovals.TryGetValue(pendingKey, out var pendingId))
        {
            return new(ActionOutcome.AlreadyPending, "The same action already waits for approval.", pendingId);
        }
        if (await platform.GetAsync(proposal.Scope, proposal.EntityId, cancellationToken) is not { } state)
        {
            return new(ActionOutcome.Blocked, "The entity no longer exists.");
        }
        var decision = SafetyRails.Decide(proposal, state, session.Settings, session.Ledger, session.Tracking, now, approvedByPerson: false, campaign);
        switch (decision.Verdict)
        {
            case RailVerdict.NoChange:
                return new(ActionOutcome.NoChange, decision.Reason);
            case RailVerdict.Blocked:
                return new(ActionOutcome.Blocked, decision.Reason);
        }

        var record = new ActionRecord
        {
            Source = proposal.Source,
            RuleId = proposal.RuleId,
            RuleExecutionId = origin.RuleExecutionId,
            EntityScope = scopeName,
            EntityId = proposal.EntityId,
            EntityExternalId = origin.EntityExternalId,
            EntityName = origin.EntityName,
            Type = proposal.Action.Type,
            SettingsJson = JsonSerializer.Serialize(proposal.Action, RuleJson.Options),
            RiskLevel = decision.Risk,
            Status = decision.Verdict == RailVerdict.Execute ? ActionStatuses.Executing : ActionStatuses.PendingApproval,
            Reason = Truncate(decision.Reason, 2000),
            EvidenceJson = JsonSerializer.Serialize(origin.Evidence, RuleJson.Options),
            StatusBefore = state.Status,
            BudgetBefore = state.DailyBudget,
            StatusAfter = decision.TargetStatus,
            BudgetAfter = decision.TargetBudget,
            IdempotencyKey = origin.IdempotencyKey,
            CreatedAtUtc = now,
        };
        if (!await ClaimAsync(record, cancellationToken))
        {
            return new(ActionOutcome.Duplicate, "Already handled in this run slot.");
        }
        session.TakenKeys.Add(record.IdempotencyKey);
        if (decision.Verdict == RailVerdict.NeedsApproval)
        {
            session.PendingApprovals[pendingKey] = record.Id;
            return new(ActionOutcome.Queued, decision.Reason, record.Id);
        }
        return await ApplyAsync(session, record, proposal.Action, state, decision, origin.RuleName, actor: null, cancellationToken);
    }

    /// <summary>
    /// Reads once which actions rules already claimed in their run slots (a retried or overlapping run), so the proposals
    /// of the runs that follow find their duplicates without a query each. <paramref name="slots"/>: each rule, the start
    /// of its slot and the prefix its slot's idempotency keys begin with (rule:{id}:{slot}:).
    /// </summary>
    public async Task RememberRuleSlotsAsync(ActionSession session, IReadOnlyList<(long RuleId, DateTime SlotStartUtc, string KeyPrefix)> slots,
        CancellationToken cancellationToken)
    {
        if (slots.Count == 0)
        {
            return;
        }
        var ruleIds = slots.Select(s => (long?)s.RuleId).Distinct().ToList();
        var earliest = slots.Min(s => s.SlotStartUtc);
        var keys = await db.ActionRecords.AsNoTracking().Where(a => ruleIds.Contains(a.RuleId) && a.CreatedAtUtc >= earliest)
            .Select(a => a.IdempotencyKey).ToListAsync(cancellationToken);
        var prefixes = slots.Select(s => s.KeyPrefix).ToHashSet(StringComparer.Ordinal);
        session.TakenKeys.UnionWith(keys.Where(k => SlotPrefix(k) is { } prefix && prefixes.Contains(prefix)));
    }

    /// <summary>A rule key's "rule:{id}:{slot}:" (up to its third colon); null for a key of another form.</summary>
    private static string? SlotPrefix(string key)
    {
        var end = -1;
        for (var colons = 0; colons < 3; colons++)
        {
            end = key.IndexOf(':', end + 1);
            if (end < 0)
            {
                return null;
            }
        }
        return key[..(end + 1)];
    }

    /// <summary>Whether the current store has this campaign, ad set or ad (another store's is not found).</summary>
    public async Task<bool> EntityExistsAsync(RuleScope scope, long entityId, CancellationToken cancellationToken) =>
        await platform.GetAsync(scope, entityId, cancellationToken) is not null;

    /// <summary>
    /// A person pauses, enables or changes a budget by hand (an entity's page or <c>PATCH /api/campaigns|adsets|ads/{id}</c>):
    /// decided by <see cref="SafetyRails.DecideForPerson"/>, then recorded, applied, audited and undoable like any action,
    /// with the source <see cref="ManualSource"/>.
    /// </summary>
    public async Task<ActionCommandResult> ChangeByPersonAsync(RuleScope scope, long entityId, RuleActionSpec action, string actor, bool confirmed,
        CancellationToken cancellationToken)
    {
        if (await platform.GetAsync(scope, entityId, cancellationToken) is not { } state)
        {
            return new(null, 404, $"{scope.ToApiName().Replace('_', ' ')} was not found.");
        }
        var session = await BeginAsync(cancellationToken);
        var proposal = new ActionProposal
        {
            Source = ManualSource, Scope = scope, EntityId = entityId, Action = action, Evidence = new EntityEvidence(0, 0, 0),
        };
        var decision = SafetyRails.DecideForPerson(proposal, state, session.Settings, session.Ledger, confirmed);
        switch (decision.Verdict)
        {
            case RailVerdict.NoChange:
                return ActionCommandResult.NoChange(decision.Reason);
            case RailVerdict.NeedsConfirmation:
                return ActionCommandResult.ConfirmationRequired(decision.Reason);
            case RailVerdict.Blocked or RailVerdict.NeedsApproval:
                return ActionCommandResult.Conflict(null, decision.Reason);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var record = new ActionRecord
        {
            Source = ManualSource,
            EntityScope = scope.ToApiName(),
            EntityId = entityId,
            EntityExternalId = state.ExternalId,
            EntityName = Truncate(state.Name, 300),
            Type = action.Type,
            SettingsJson = JsonSerializer.Serialize(action, RuleJson.Options),
            RiskLevel = decision.Risk,
            Status = ActionStatuses.Executing,
            Reason = Truncate(decision.Reason, 2000),
            EvidenceJson = "{}",
            StatusBefore = state.Status,
            BudgetBefore = state.DailyBudget,
            StatusAfter = decision.TargetStatus,
            BudgetAfter = decision.TargetBudget,
            IdempotencyKey = "person:" + Guid.NewGuid().ToString("N"),
            CreatedAtUtc = now,
            DecidedAtUtc = now,
            DecidedBy = Truncate(actor, 256),
        };
        db.ActionRecords.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        var outcome = await ApplyAsync(session, record, action, state, decision, ruleName: null, actor, cancellationToken);
        return outcome.Result == ActionOutcome.Executed
            ? ActionCommandResult.Done(record, decision.Reason)
            : ActionCommandResult.Conflict(record, outcome.Reason);
    }

    /// <summary>A person approves a queued action: the hard rails are checked again against the entity's state now.</summary>
    public async Task<ActionCommandResult> ApproveAsync(long actionId, string actor, CancellationToken cancellationToken)
    {
        var record = await db.ActionRecords.SingleOrDefaultAsync(a => a.Id == actionId, cancellationToken);
        if (record is null)
        {
            return ActionCommandResult.NotFound();
        }
        if (record.Status != ActionStatuses.PendingApproval)
        {
            return ActionCommandResult.Conflict(record, $"This action is {record.Status.Replace('_', ' ')}, not waiting for approval.");
        }
        var scope = RuleScopes.TryParse(record.EntityScope, out var s) ? s : RuleScope.Ad;
        if (await platform.GetAsync(scope, record.EntityId, cancellationToken) is not { } state)
        {
            return ActionCommandResult.Conflict(record, "The entity no longer exists.");
        }
        var spec = JsonSerializer.Deserialize<RuleActionSpec>(record.SettingsJson, RuleJson.Options)!;
        var session = await BeginAsync(cancellationToken);
        var proposal = new ActionProposal
        {
            Source = record.Source,
            RuleId = record.RuleId,
            RuleRisk = record.RiskLevel,
            Scope = scope,
            EntityId = record.EntityId,
            Action = spec,
            Evidence = new EntityEvidence(0, 0, 0),
        };
        var decision = SafetyRails.Decide(proposal, state, session.Settings, session.Ledger, session.Tracking, time.GetUtcNow().UtcDateTime, approvedByPerson: true,
            await CampaignAutomationAsync(session, scope, record.EntityId, cancellationToken));
        if (decision.Verdict != RailVerdict.Execute)
        {
            return ActionCommandResult.Conflict(record, decision.Verdict == RailVerdict.NoChange
                ? $"Nothing to do any more: {decision.Reason} Reject it to clear it from the queue."
                : $"The safety rails refuse it now: {decision.Reason}");
        }
        // Claimed by moving it out of the queue: of two approvals at once (two tabs, two instances) only one applies it.
        var claimed = await db.ActionRecords.Where(a => a.Id == record.Id && a.Status == ActionStatuses.PendingApproval)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.Status, ActionStatuses.Executing), cancellationToken);
        if (claimed == 0)
        {
            await db.Entry(record).ReloadAsync(cancellationToken);
            return ActionCommandResult.Conflict(record, $"This action is {record.Status.Replace('_', ' ')}, not waiting for approval.");
        }
        record.DecidedAtUtc = time.GetUtcNow().UtcDateTime;
        record.DecidedBy = Truncate(actor, 256);
        record.Status = ActionStatuses.Executing;
        record.Reason = Truncate(decision.Reason, 2000);
        await db.SaveChangesAsync(cancellationToken);
        var ruleName = record.RuleId is { } ruleId ? await db.Rules.Where(r => r.Id == ruleId).Select(r => r.Name).FirstOrDefaultAsync(cancellationToken) : null;
        var outcome = await ApplyAsync(session, record, spec, state, decision, ruleName, actor, cancellationToken);
        return outcome.Result == ActionOutcome.Executed
            ? ActionCommandResult.Done(record, outcome.Reason)
            : ActionCommandResult.Conflict(record, outcome.Reason);
    }

    public async Task<ActionCommandResult> RejectAsync(long actionId, string actor, CancellationToken cancellationToken)
    {
        var record = await db.ActionRecords.SingleOrDefaultAsync(a => a.Id == actionId, cancellationToken);
        if (record is null)
        {
            return ActionCommandResult.NotFound();
        }
        if (record.Status != ActionStatuses.PendingApproval)
        {
            return ActionCommandResult.Conflict(record, $"This action is {record.Status.Replace('_', ' ')}, not waiting for approval.");
        }
        record.Status = ActionStatuses.Rejected;
        record.DecidedAtUtc = time.GetUtcNow().UtcDateTime;
        record.DecidedBy = Truncate(actor, 256);
        audit.Record(new AuditChange("action.rejected", "action", record.Id.ToString(CultureInfo.InvariantCulture),
            $"Rejected: {Describe(record)}."), actor);
        await db.SaveChangesAsync(cancellationToken);
        return ActionCommandResult.Done(record, "Rejected.");
    }

    /// <summary>
    /// Restores the value before an executed action. Refused when the entity changed since (someone else's edit would be
    /// overwritten): the current value must still be the action's "after" value.
    /// </summary>
    public async Task<ActionCommandResult> UndoAsync(long actionId, string actor, CancellationToken cancellationToken)
    {
        var record = await db.ActionRecords.SingleOrDefaultAsync(a => a.Id == actionId, cancellationToken);
        if (record is null)
        {
            return ActionCommandResult.NotFound();
        }
        if (record.Status != ActionStatuses.Executed)
        {
            return ActionCommandResult.Conflict(record, $"Only executed actions can be undone; this one is {record.Status.Replace('_', ' ')}.");
        }
        var scope = RuleScopes.TryParse(record.EntityScope, out var s) ? s : RuleScope.Ad;
        switch (record.Type)
        {
            case ActionTypes.Pause or ActionTypes.Enable:
            {
                var state = await platform.GetAsync(scope, record.EntityId, cancellationToken);
                if (state is null || !string.Equals(state.Status, record.StatusAfter, StringComparison.OrdinalIgnoreCase))
                {
                    return ActionCommandResult.Conflict(record, $"The status changed since this action (now {state?.Status ?? "gone"}); undo would overwrite that change.");
                }
                await platform.SetStatusAsync(scope, record.EntityId, record.StatusBefore!, cancellationToken);
                break;
            }
            case ActionTypes.ScaleBudget or ActionTypes.SetBudget:
            {
                var state = await platform.GetAsync(scope, record.EntityId, cancellationToken);
                if (state is null || state.DailyBudget != record.BudgetAfter)
                {
                    return ActionCommandResult.Conflict(record, string.Create(CultureInfo.InvariantCulture,
                        $"The budget changed since this action (now {state?.DailyBudget?.ToString("0.00", CultureInfo.InvariantCulture) ?? "none"}); undo would overwrite that change."));
                }
                await platform.SetDailyBudgetAsync(scope, record.EntityId, record.BudgetBefore!.Value, cancellationToken);
                break;
            }
            case ActionTypes.Tag:
                // Only the tag this action added goes; one the entity had already stays.
                db.EntityTags.RemoveRange(await db.EntityTags.Where(t => t.ActionRecordId == record.Id).ToListAsync(cancellationToken));
                break;
            case ActionTypes.Notify:
                if (AlertId(record) is { } alertId && await db.Alerts.SingleOrDefaultAsync(a => a.Id == alertId, cancellationToken) is { } alert)
                {
                    alerts.Close(alert, AlertStatuses.Dismissed, actor);
                }
                break;
        }
        record.Status = ActionStatuses.Undone;
        record.UndoneAtUtc = time.GetUtcNow().UtcDateTime;
        record.UndoneBy = Truncate(actor, 256);
        audit.Record(new AuditChange("action.undone", "action", record.Id.ToString(CultureInfo.InvariantCulture), $"Undone: {Describe(record)}.",
            new { status = record.StatusAfter, dailyBudget = record.BudgetAfter }, new { status = record.StatusBefore, dailyBudget = record.BudgetBefore }), actor);
        await db.SaveChangesAsync(cancellationToken);
        return ActionCommandResult.Done(record, "Undone: the value before the action is restored.");
    }

    /// <summary>"Pause ad set “Prospecting” (123)".</summary>
    public static string Describe(ActionRecord record)
    {
        var spec = JsonSerializer.Deserialize<RuleActionSpec>(record.SettingsJson, RuleJson.Options) ?? new RuleActionSpec { Type = record.Type };
        return $"{spec.Describe()} on {record.EntityScope.Replace('_', ' ')} “{record.EntityName}” ({record.EntityExternalId})";
    }

    private async Task<ActionOutcome> ApplyAsync(ActionSession session, ActionRecord record, RuleActionSpec spec, AdEntityState state, RailDecision decision,
        string? ruleName, string? actor, CancellationToken cancellationToken)
    {
        var scope = state.Scope;
        try
        {
            AdEntityState after = state;
            switch (spec.Type)
            {
                case ActionTypes.Pause or ActionTypes.Enable:
                    after = await platform.SetStatusAsync(scope, state.Id, decision.TargetStatus!, cancellationToken);
                    break;
                case ActionTypes.ScaleBudget or ActionTypes.SetBudget:
                    after = await platform.SetDailyBudgetAsync(scope, state.Id, decision.TargetBudget!.Value, cancellationToken);
                    break;
                case ActionTypes.Notify:
                    var alert = await alerts.RaiseAsync(new AlertSignal
                    {
                        Source = AlertSources.Rule,
                        Type = "rule_notify",
                        // The same rule on the same entity updates its alert while it is active.
                        ConditionKey = string.Create(CultureInfo.InvariantCulture, $"rule:{record.RuleId?.ToString(CultureInfo.InvariantCulture) ?? record.Source}:{scope.ToApiName()}:{state.Id}"),
                        Severity = AlertSeverities.Medium,
                        EntityType = scope == RuleScope.Account ? "system" : scope.ToApiName(),
                        EntityId = scope == RuleScope.Account ? null : state.Id,
                        EntityName = state.Name,
                        Title = $"{ruleName ?? "Automation"}: {state.Name}",
                        Message = string.IsNullOrWhiteSpace(spec.Message) ? $"{ruleName ?? "A rule"} matched {state.Name}." : spec.Message,
                    }, cancellationToken);
                    record.ResultJson = JsonSerializer.Serialize(new { alertId = alert.Id }, RuleJson.Options);
                    break;
                case ActionTypes.Tag:
                    var added = await TagAsync(scope, state.Id, spec.Tag!, record, cancellationToken);
                    record.ResultJson = JsonSerializer.Serialize(new { tag = spec.Tag, added }, RuleJson.Options);
                    break;
            }
            var now = time.GetUtcNow().UtcDateTime;
            record.Status = ActionStatuses.Executed;
            record.ExecutedAtUtc = now;
            record.StatusBefore = state.Status;
            record.BudgetBefore = state.DailyBudget;
            record.StatusAfter = after.Status;
            record.BudgetAfter = after.DailyBudget;
            session.Ledger.Record(new LedgerEntry(scope, state.Id, record.RuleId, spec.Type, now, spec.ChangesBudget ? state.DailyBudget : null, actor is null));
            audit.Record(new AuditChange("action.executed", "action", record.Id.ToString(CultureInfo.InvariantCulture),
                $"{(actor is null ? "Automatically executed" : record.Source == ManualSource ? "Changed by hand" : "Executed after approval")}: {Describe(record)}.",
                new { status = record.StatusBefore, dailyBudget = record.BudgetBefore }, new { status = record.StatusAfter, dailyBudget = record.BudgetAfter }),
                actor ?? "automation");
            await db.SaveChangesAsync(cancellationToken);
            return new(ActionOutcome.Executed, decision.Reason, record.Id);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Action {ActionId} ({Type} on {Scope} {EntityId}) failed", record.Id, spec.Type, scope.ToApiName(), state.Id);
            // Forget the half-applied change, but keep what the caller tracks (the run and its rule).
            foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is not (RuleExecution or Rule)).ToList())
            {
                entry.State = EntityState.Detached;
            }
            var failed = await db.ActionRecords.SingleAsync(a => a.Id == record.Id, cancellationToken);
            failed.Status = ActionStatuses.Failed;
            failed.Reason = Truncate($"The platform refused the change: {ex.Message}", 2000);
            await db.SaveChangesAsync(cancellationToken);
            record.Status = failed.Status;
            record.Reason = failed.Reason;
            return new(ActionOutcome.Failed, failed.Reason, record.Id);
        }
    }

    /// <summary>
    /// The automation setting of the campaign <paramref name="entityId"/> belongs to (itself for a campaign); inherited
    /// for an account-level action, and without a query when no campaign of the store has its own setting.
    /// </summary>
    private async Task<CampaignAutomationSetting> CampaignAutomationAsync(ActionSession session, RuleScope scope, long entityId,
        CancellationToken cancellationToken)
    {
        if (session.CampaignAutomation.Count == 0)
        {
            return CampaignAutomationSetting.Inherited;
        }
        var campaignId = scope switch
        {
            RuleScope.Campaign => entityId,
            RuleScope.AdSet => await db.AdSets.Where(a => a.Id == entityId).Select(a => (long?)a.CampaignId).FirstOrDefaultAsync(cancellationToken),
            RuleScope.Ad => await db.Ads.Where(a => a.Id == entityId).Select(a => (long?)a.CampaignId).FirstOrDefaultAsync(cancellationToken),
            _ => null,
        };
        return campaignId is { } id && session.CampaignAutomation.TryGetValue(id, out var setting) ? setting : CampaignAutomationSetting.Inherited;
    }

    /// <summary>Puts <paramref name="tag"/> on the entity (the one writer of tags); false when it already had it.</summary>
    private async Task<bool> TagAsync(RuleScope scope, long entityId, string tag, ActionRecord record, CancellationToken cancellationToken)
    {
        var scopeName = scope.ToApiName();
        var normalized = tag.Trim();
        if (await db.EntityTags.AnyAsync(t => t.EntityScope == scopeName && t.EntityId == entityId && t.Tag == normalized, cancellationToken))
        {
            return false;
        }
        db.EntityTags.Add(new EntityTag
        {
            EntityScope = scopeName,
            EntityId = entityId,
            Tag = normalized,
            ActionRecordId = record.Id,
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        });
        return true;
    }

    /// <summary>Inserts the record; false when another run inserted the same idempotency key first.</summary>
    private async Task<bool> ClaimAsync(ActionRecord record, CancellationToken cancellationToken)
    {
        db.ActionRecords.Add(record);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // The unique index on the key refused it: another attempt of the same slot got there first.
            if (await KeyTakenAsync(record, cancellationToken))
            {
                return false;
            }
            throw;
        }
    }

    private async Task<bool> KeyTakenAsync(ActionRecord record, CancellationToken cancellationToken)
    {
        db.Entry(record).State = EntityState.Detached;
        return await db.ActionRecords.AsNoTracking().AnyAsync(a => a.IdempotencyKey == record.IdempotencyKey, cancellationToken);
    }

    private static long? AlertId(ActionRecord record)
    {
        if (record.ResultJson is null)
        {
            return null;
        }
        using var json = JsonDocument.Parse(record.ResultJson);
        return json.RootElement.TryGetProperty("alertId", out var id) && id.TryGetInt64(out var value) ? value : null;
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..(length - 1)] + "…";
}
