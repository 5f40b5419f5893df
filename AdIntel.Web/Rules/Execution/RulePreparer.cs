using AdIntel.Web.Domain;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Expressions;
using AdIntel.Web.Rules.Plugins;
using AdIntel.Web.Rules.Scripting;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Rules.Execution;

/// <summary>A saved rule cannot run as it stands (its plugin is not loaded, scripts were turned off, ...).</summary>
public sealed class RulePreparationException(string message) : Exception(message);

/// <summary>
/// Turns a rule (saved, or a definition being edited) into a <see cref="PreparedRule"/> of its kind: compiled
/// expression, plugin with its parameters, or compiled script — for saved rules from the caches (conditions by their
/// text, scripts by rule version).
/// </summary>
public sealed class RulePreparer(RuleExpressionCompiler compiler, CompiledRuleCache conditions, CompiledScriptCache scripts,
    CSharpRuleScriptCompiler scriptCompiler, RulePluginRunner plugins, PluginCatalog catalog)
{
    /// <exception cref="RuleExpressionException">The stored expression no longer compiles.</exception>
    /// <exception cref="RulePreparationException">The plugin is gone or scripts are off.</exception>
    /// <exception cref="RuleScriptException">The stored script no longer compiles.</exception>
    public PreparedRule Prepare(Rule rule)
    {
        var scope = RuleJson.Scope(rule);
        var filter = RuleJson.Filter(rule);
        var condition = string.IsNullOrWhiteSpace(rule.Expression) && rule.Kind != RuleKinds.Expression
            ? null
            : conditions.GetOrCompile(rule.Expression);
        switch (rule.Kind)
        {
            case RuleKinds.Plugin:
                var pluginId = rule.PluginId ?? "";
                if (catalog.Find(pluginId) is null)
                {
                    throw new RulePreparationException($"The plugin {pluginId} is not loaded (see Settings → Plugins).");
                }
                return PreparedRule.ForPlugin(scope, filter, condition, compiler, plugins, pluginId, RuleJson.Parameters(rule));
            case RuleKinds.Script:
                if (!scriptCompiler.IsEnabled)
                {
                    throw new RulePreparationException($"C# scripts are turned off on this install ({CSharpScriptOptions.SectionName}:Enabled), so this script rule does not run.");
                }
                return PreparedRule.ForScript(scope, filter, condition, compiler, scripts.GetOrCompile(rule.Id, rule.Version, rule.Script ?? ""), ownsScript: false);
            default:
                return new PreparedRule(scope, filter, condition!, compiler);
        }
    }

    /// <summary>An unsaved, validated definition ready to judge entities (dispose it: a script compiled for it is unloaded).</summary>
    public PreparedRule Prepare(RuleDefinition definition)
    {
        var scope = RuleScopes.TryParse(definition.Scope, out var parsed) ? parsed : RuleScope.Ad;
        var filter = definition.Filter ?? new RuleFilter();
        var kind = definition.EffectiveKind;
        var condition = string.IsNullOrWhiteSpace(definition.Expression) && kind != RuleKinds.Expression ? null : compiler.CompileCondition(definition.Expression);
        switch (kind)
        {
            case RuleKinds.Plugin:
                return PreparedRule.ForPlugin(scope, filter, condition, compiler, plugins, definition.PluginId?.Trim() ?? "",
                    definition.Parameters ?? new Dictionary<string, double>());
            case RuleKinds.Script:
                var compiled = scriptCompiler.Compile(definition.Script, CancellationToken.None);
                var script = compiled.Script ?? throw new RuleScriptException("The script does not compile: " + compiled.Errors[0].Message);
                return PreparedRule.ForScript(scope, filter, condition, compiler, script, ownsScript: true);
            default:
                return new PreparedRule(scope, filter, condition!, compiler);
        }
    }

    /// <summary>Forgets a deleted rule's compiled script (conditions are kept by their text, shared with other rules).</summary>
    public void Forget(long ruleId) => scripts.Remove(ruleId);
}
