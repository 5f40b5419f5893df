using System.Globalization;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Rules.Actions;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Execution;
using AdIntel.Web.Rules.Expressions;
using AdIntel.Web.Rules.Plugins;
using AdIntel.Web.Rules.Scripting;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Rules.Snapshots;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Rules;

/// <summary>A saved rule, or why it was refused: invalid, or (<paramref name="Forbidden"/>) not this person's to write.</summary>
public sealed record RuleSaveResult(Rule? Rule, RuleValidation? Invalid, string? Forbidden = null);

/// <summary>
/// What the rules API and the rules pages do to rules, in one place: validate and save (audited, version bumped,
/// store job ensured), delete, switch on and off, create from a preset and run now.
/// </summary>
public sealed class RuleCommands(AdIntelDbContext db, RuleExpressionCompiler compiler, RulePreparer preparer, RulePluginRunner plugins,
    CSharpRuleScriptCompiler scripts, IAuditLog audit, TimeProvider time,
    RuleSnapshotBuilder snapshots, ActionExecutor executor, RuleRunner runner, DatabaseLocks locks, IHttpContextAccessor http)
{
    /// <summary>Why a C# script rule is refused to everyone but the installation's administrator.</summary>
    public const string ScriptsAreTheAdministrators =
        "Only the installation's administrator, signed in (not with an API token), can write, preview, test, backtest or run C# script rules: a script runs with the server's rights.";

    /// <summary>
    /// Whether the signed-in person may write, preview or run C# scripts: the installation's administrator only (a
    /// script can read every store's data, the server's files and environment), never through an API token.
    /// </summary>
    public bool MayUseScripts => http.HttpContext?.User.IsInstallationAdministrator() == true;

    /// <summary>Why the signed-in person may not write or preview this script rule, or null.</summary>
    public string? ScriptForbidden(RuleDefinition definition, Rule? existing = null) =>
        (definition.EffectiveKind == RuleKinds.Script || existing?.Kind == RuleKinds.Script) && !MayUseScripts ? ScriptsAreTheAdministrators : null;

    /// <summary>Why the signed-in person may not run this saved rule now (test, backtest, run now), or null.</summary>
    public string? ScriptRunForbidden(Rule rule) => rule.Kind == RuleKinds.Script && !MayUseScripts ? ScriptsAreTheAdministrators : null;

    /// <summary>Checks a definition with everything a rule of its kind needs (expression, plugin parameters, script compilation).</summary>
    public RuleValidation Validate(RuleDefinition definition) => definition.Validate(compiler, plugins, scripts);

    public async Task<RuleSaveResult> CreateAsync(RuleDefinition definition, CancellationToken cancellationToken)
    {
        if (ScriptForbidden(definition) is { } forbidden)
        {
            return new(null, null, forbidden);
        }
        var validation = Validate(definition);
        if (!validation.IsValid)
        {
            return new(null, validation);
        }
        var now = time.GetUtcNow().UtcDateTime;
        var rule = new Rule { Name = "", Expression = "", CreatedAtUtc = now, UpdatedAtUtc = now };
        definition.ApplyTo(rule);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Rules.Add(rule);
        await db.SaveChangesAsync(cancellationToken);
        audit.Record(new AuditChange("rule.created", "rule", Id(rule), $"Rule “{rule.Name}” created.", null, RuleView.From(rule)));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(rule, null);
    }

    public async Task<RuleSaveResult?> UpdateAsync(long id, RuleDefinition definition, CancellationToken cancellationToken)
    {
        var rule = await db.Rules.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return null;
        }
        if (ScriptForbidden(definition, rule) is { } forbidden)
        {
            return new(null, null, forbidden);
        }
        var validation = Validate(definition);
        if (!validation.IsValid)
        {
            return new(null, validation);
        }
        var before = RuleView.From(rule);
        definition.ApplyTo(rule);
        rule.Version++;
        rule.UpdatedAtUtc = time.GetUtcNow().UtcDateTime;
        audit.Record(new AuditChange("rule.updated", "rule", Id(rule), $"Rule “{rule.Name}” updated (version {rule.Version}).", before, RuleView.From(rule)));
        await db.SaveChangesAsync(cancellationToken);
        return new(rule, null);
    }

    public async Task<Rule?> SetActiveAsync(long id, bool active, CancellationToken cancellationToken)
    {
        var rule = await db.Rules.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null || rule.Active == active)
        {
            return rule;
        }
        rule.Active = active;
        rule.UpdatedAtUtc = time.GetUtcNow().UtcDateTime;
        audit.Record(new AuditChange(active ? "rule.activated" : "rule.deactivated", "rule", Id(rule),
            $"Rule “{rule.Name}” {(active ? "switched on" : "switched off")}.", new { active = !active }, new { active }));
        await db.SaveChangesAsync(cancellationToken);
        return rule;
    }

    /// <summary>Deletes the rule and its run log; its actions stay in the history (and stay undoable).</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        var rule = await db.Rules.SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (rule is null)
        {
            return false;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.RuleExecutions.Where(e => e.RuleId == id).ExecuteDeleteAsync(cancellationToken);
        await db.ActionRecords.Where(a => a.RuleId == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.RuleId, (long?)null), cancellationToken);
        db.Rules.Remove(rule);
        audit.Record(new AuditChange("rule.deleted", "rule", Id(rule), $"Rule “{rule.Name}” deleted.", RuleView.From(rule)));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        preparer.Forget(id);
        return true;
    }

    public async Task<RuleSaveResult?> CreateFromPresetAsync(string key, CancellationToken cancellationToken) =>
        RulePresets.Find(key) is { } preset ? await CreateAsync(preset.Rule, cancellationToken) : null;

    /// <summary>The rule ready to judge entities.</summary>
    /// <exception cref="RuleExpressionException">Its expression no longer compiles.</exception>
    /// <exception cref="RulePreparationException">Its plugin is gone or scripts are off.</exception>
    /// <exception cref="Web.Rules.Scripting.RuleScriptException">Its script no longer compiles.</exception>
    public PreparedRule Prepare(Rule rule) => preparer.Prepare(rule);

    /// <summary>An unsaved, validated definition ready to judge entities (dispose it after use).</summary>
    public PreparedRule Prepare(RuleDefinition definition) => preparer.Prepare(definition);

    /// <summary>Runs the rule now (manual trigger): the same path as the schedule, rails and idempotency included.</summary>
    public async Task<RuleExecution> RunNowAsync(Rule rule, CancellationToken cancellationToken)
    {
        // Waits for a scheduled run of the store in progress (on any instance): the rails count what it did.
        await using var storeLock = await locks.AcquireAsync(LockKind.StoreRules, rule.StoreId, cancellationToken);
        var session = await executor.BeginAsync(cancellationToken);
        var snapshot = await snapshots.BuildAsync(null, cancellationToken);
        return await runner.RunAsync(rule, RuleRunner.ManualTrigger, snapshot, session, cancellationToken);
    }

    private static string Id(Rule rule) => rule.Id.ToString(CultureInfo.InvariantCulture);
}
