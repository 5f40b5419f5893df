using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Expressions;
using AdIntel.Web.Rules.Plugins;
using AdIntel.Web.Rules.Scripting;
using AdIntel.Web.Rules.Snapshots;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Rules.Execution;

/// <summary>One entity's line in a run's log (<see cref="RuleExecution.DetailsJson"/>).</summary>
public sealed record ExecutionEntityLog(long EntityId, string ExternalId, string Name, string Status, bool InFilter, bool Matched, string Reason,
    IReadOnlyDictionary<string, object?> Values, IReadOnlyList<ExecutionActionLog> Actions);

/// <summary>What became of one action of a matched entity.</summary>
public sealed record ExecutionActionLog(string Type, string Result, string Reason, long? ActionId);

/// <summary>
/// The entities a run's log does not list one by one (<see cref="RuleExecution.NotListedJson"/>): how many, and how many
/// for each reason, the most frequent first.
/// </summary>
public sealed record ExecutionNotListed(int Entities, IReadOnlyList<ExecutionReasonCount> Reasons);

public sealed record ExecutionReasonCount(string Reason, int Entities);

/// <summary>
/// Runs one rule over a snapshot: judges every entity of its scope, logs each with the values used and why it
/// matched or not, and hands each matched entity's actions to <see cref="ActionExecutor"/> (the safety rails decide).
/// Guard plugins are asked about every matched entity; their vetoes travel with the proposal. A level with more than
/// <see cref="ListEveryEntityUpTo"/> entities has its matched entities listed and the others counted by reason: a
/// store of 10,000 ads would otherwise store 10,000 lines per rule every quarter hour.
/// </summary>
public sealed class RuleRunner(AdIntelDbContext db, RulePreparer preparer, RuleProposals proposals, ActionExecutor executor, TimeProvider time,
    ILogger<RuleRunner> logger)
{
    public const string ScheduleTrigger = "schedule";
    public const string ManualTrigger = "manual";

    /// <summary>Up to this many entities at the rule's level, the log lists every one, matched or not.</summary>
    public const int ListEveryEntityUpTo = 1_000;

    /// <summary>The most reasons a log counts the unlisted entities by; the rest are counted together.</summary>
    public const int MaxReasonsCounted = 20;

    /// <summary>Runs one rule now (see <see cref="RunAllAsync"/>).</summary>
    public async Task<RuleExecution> RunAsync(Rule rule, string trigger, RuleSnapshot snapshot, ActionSession session, CancellationToken cancellationToken) =>
        (await RunAllAsync([rule], trigger, snapshot, session, cancellationToken))[0];

    /// <summary>
    /// Runs rules one after the other over one snapshot, with a few database round trips for all of them: the actions
    /// their slots already claimed are read in one query, their runs are recorded as running in one save before the
    /// first acts (an action points at its run), and their logs are written in one save at the end. A stop in between
    /// leaves them running, which the next start marks interrupted (<see cref="CrashRecovery"/>); their slots then run
    /// again, and the actions already claimed are found by their keys and not repeated.
    /// </summary>
    public async Task<IReadOnlyList<RuleExecution>> RunAllAsync(IReadOnlyList<Rule> rules, string trigger, RuleSnapshot snapshot, ActionSession session,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var executions = rules.Select(rule => new RuleExecution
        {
            RuleId = rule.Id,
            Trigger = trigger,
            SlotStartUtc = RuleJson.Schedule(rule).SlotStartUtc(now, session.TimeZone),
            StartedAtUtc = now.UtcDateTime,
            Status = RuleExecutionStatuses.Running,
        }).ToList();
        await executor.RememberRuleSlotsAsync(session, [.. executions.Select(e => (e.RuleId, e.SlotStartUtc, SlotKeyPrefix(e.RuleId, e.SlotStartUtc)))],
            cancellationToken);
        db.RuleExecutions.AddRange(executions);
        await db.SaveChangesAsync(cancellationToken);
        // The runs and their rules stay out of the change tracker while the rules act: a proposal that records an action
        // saves, and every save looks through everything tracked.
        foreach (var entity in executions.Cast<object>().Concat(rules))
        {
            db.Entry(entity).State = EntityState.Detached;
        }
        for (var i = 0; i < rules.Count; i++)
        {
            await RunOneAsync(rules[i], executions[i], snapshot, session, cancellationToken);
        }
        db.RuleExecutions.UpdateRange(executions);
        for (var i = 0; i < rules.Count; i++)
        {
            if (executions[i].Matched > 0)
            {
                db.Rules.Attach(rules[i]).Property(r => r.LastTriggeredAtUtc).IsModified = true;
            }
        }
        await db.SaveChangesAsync(cancellationToken);
        return executions;
    }

    private async Task RunOneAsync(Rule rule, RuleExecution execution, RuleSnapshot snapshot, ActionSession session, CancellationToken cancellationToken)
    {
        var log = new List<ExecutionEntityLog>();
        var notListed = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            var prepared = preparer.Prepare(rule);
            var ruleActions = RuleJson.Actions(rule);
            session.Ledger.BeginRun();
            var listEvery = snapshot.Entities(prepared.Scope).Count <= ListEveryEntityUpTo;
            foreach (var evaluation in prepared.Evaluate(snapshot))
            {
                execution.Evaluated++;
                var actionLogs = new List<ExecutionActionLog>();
                if (evaluation.Matched)
                {
                    execution.Matched++;
                    // A plugin rule without actions of its own acts on its plugin's proposals.
                    var actions = ruleActions.Count == 0 && evaluation.ProposedActions is { } proposed ? proposed : ruleActions;
                    var vetoes = proposals.GuardVetoes(evaluation.Entity, snapshot, actions);
                    for (var i = 0; i < actions.Count; i++)
                    {
                        var outcome = await ProposeAsync(rule, execution, evaluation, actions[i], i, vetoes, session, cancellationToken);
                        actionLogs.Add(new ExecutionActionLog(actions[i].Type, outcome.Result, outcome.Reason, outcome.ActionId));
                        switch (outcome.Result)
                        {
                            case ActionOutcome.Executed: execution.ActionsExecuted++; break;
                            case ActionOutcome.Queued: execution.ActionsQueued++; break;
                            case ActionOutcome.Blocked or ActionOutcome.Failed: execution.ActionsBlocked++; break;
                        }
                    }
                }
                if (listEvery || evaluation.Matched)
                {
                    var entity = evaluation.Entity;
                    log.Add(new ExecutionEntityLog(entity.Id, entity.ExternalId, entity.Name, entity.Status, evaluation.InFilter, evaluation.Matched,
                        evaluation.Reason, evaluation.Values, actionLogs));
                }
                else
                {
                    CollectionsMarshal.GetValueRefOrAddDefault(notListed, evaluation.Reason, out _)++;
                }
            }
            execution.Status = RuleExecutionStatuses.Succeeded;
            execution.Message = session.Settings.KillSwitch ? "Automation is paused (kill switch): actions wait for approval."
                : session.Settings.TrackingBreakerEnabled && session.Tracking.Broken ? "Circuit breaker open: " + session.Tracking.Explanation
                : null;
            if (execution.Matched > 0)
            {
                rule.LastTriggeredAtUtc = execution.StartedAtUtc;
            }
        }
        catch (RuleExpressionException ex)
        {
            execution.Status = RuleExecutionStatuses.Failed;
            execution.Message = "The expression no longer compiles: " + ex.Message;
        }
        catch (Exception ex) when (ex is RulePreparationException or RuleScriptException)
        {
            execution.Status = RuleExecutionStatuses.Failed;
            execution.Message = ex.Message;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Rule {RuleId} failed", rule.Id);
            execution.Status = RuleExecutionStatuses.Failed;
            execution.Message = "The run failed: " + ex.Message;
        }
        execution.Message = execution.Message is { Length: > 1000 } m ? m[..999] + "…" : execution.Message;
        execution.FinishedAtUtc = time.GetUtcNow().UtcDateTime;
        execution.DetailsJson = JsonSerializer.Serialize(log, RuleJson.Options);
        execution.NotListedJson = notListed.Count == 0 ? null : JsonSerializer.Serialize(Summarise(notListed), RuleJson.Options);
    }

    private static ExecutionNotListed Summarise(Dictionary<string, int> byReason)
    {
        var reasons = byReason.OrderByDescending(r => r.Value).ThenBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => new ExecutionReasonCount(r.Key, r.Value)).ToList();
        if (reasons.Count > MaxReasonsCounted)
        {
            var others = reasons.Skip(MaxReasonsCounted - 1).ToList();
            reasons = [.. reasons.Take(MaxReasonsCounted - 1), new($"{others.Count:N0} other reasons", others.Sum(r => r.Entities))];
        }
        return new ExecutionNotListed(byReason.Values.Sum(), reasons);
    }

    /// <summary>rule × run slot × entity × action: the same slot never acts twice on the same entity with the same action.</summary>
    public static string IdempotencyKey(long ruleId, DateTime slotStartUtc, RuleScope scope, long entityId, int actionIndex, string type) =>
        string.Create(CultureInfo.InvariantCulture, $"{SlotKeyPrefix(ruleId, slotStartUtc)}{scope.ToApiName()}:{entityId}:{actionIndex}:{type}");

    private static string SlotKeyPrefix(long ruleId, DateTime slotStartUtc) =>
        string.Create(CultureInfo.InvariantCulture, $"rule:{ruleId}:{slotStartUtc:yyyyMMddTHHmm}:");

    private async Task<ActionOutcome> ProposeAsync(Rule rule, RuleExecution execution, EntityEvaluation evaluation, RuleActionSpec action, int index,
        IReadOnlyDictionary<string, string> vetoes, ActionSession session, CancellationToken cancellationToken)
    {
        var entity = evaluation.Entity;
        var proposal = RuleProposals.For(rule, entity, action, vetoes);
        var origin = new ProposalOrigin(IdempotencyKey(rule.Id, execution.SlotStartUtc, entity.Scope, entity.Id, index, action.Type), execution.Id,
            rule.Name, entity.ExternalId, entity.Name, evaluation.Values);
        var seen = new AdEntityState(entity.Scope, entity.Id, entity.ExternalId, entity.Name, entity.Status, entity.OwnBudget);
        var outcome = await executor.ProposeAsync(session, proposal, origin, cancellationToken, seen);
        // Only a proposal that recorded an action saved anything; most are answered from the run's snapshot (a
        // cooldown, already waiting for approval) and leave nothing to forget.
        if (outcome.Result is ActionOutcome.Executed or ActionOutcome.Queued or ActionOutcome.Failed)
        {
            ForgetSaved();
        }
        return outcome;
    }

    /// <summary>
    /// Stops tracking what a proposal saved (its record, audit entries, alerts, the changed entity): a run proposing
    /// thousands of actions would otherwise make every later save scan all of them for changes.
    /// </summary>
    private void ForgetSaved()
    {
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.State == EntityState.Unchanged).ToList())
        {
            entry.State = EntityState.Detached;
        }
    }
}
