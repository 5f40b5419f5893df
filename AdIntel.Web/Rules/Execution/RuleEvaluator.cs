using System.Globalization;
using AdIntel.Plugins.Abstractions;
using AdIntel.Web.Domain;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Expressions;
using AdIntel.Web.Rules.Plugins;
using AdIntel.Web.Rules.Scripting;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Rules.Execution;

/// <summary>
/// One entity judged by a rule: in the filter or not, matched or not, the values used and why. A plugin rule's
/// <paramref name="ProposedActions"/> are what its plugin proposes for this entity (null for expression and script rules,
/// whose actions are the rule's own).
/// </summary>
public sealed record EntityEvaluation(EntitySnapshot Entity, bool InFilter, bool Matched, IReadOnlyDictionary<string, object?> Values, string Reason,
    IReadOnlyList<RuleActionSpec>? ProposedActions = null);

/// <summary>
/// A rule ready to judge entities of its scope, with an explanation for each. Three kinds (<see cref="RuleKinds"/>):
/// an expression decides (and the log names the parts of a top-level <c>and</c> chain that were false, so it says
/// "roas_7d &gt;= 3 was false" instead of just "no match"); a rule plugin decides and proposes actions; or a trusted
/// C# script decides. Plugin and script rules may have an expression too: a pre-condition an entity must meet first.
/// </summary>
public sealed class PreparedRule : IDisposable
{
    private readonly RuleScope _scope;
    private readonly RuleFilter _filter;
    private readonly CompiledRuleCondition? _condition;
    private readonly IReadOnlyList<(string Text, CompiledRuleCondition Condition)> _parts;
    private readonly PluginJudge? _plugin;
    private readonly CompiledRuleScript? _script;
    private readonly bool _ownsScript;

    /// <summary>An expression rule.</summary>
    public PreparedRule(RuleScope scope, RuleFilter filter, CompiledRuleCondition condition, RuleExpressionCompiler compiler)
        : this(RuleKinds.Expression, scope, filter, condition, compiler, null, null, false)
    {
    }

    private PreparedRule(string kind, RuleScope scope, RuleFilter filter, CompiledRuleCondition? condition, RuleExpressionCompiler compiler,
        PluginJudge? plugin, CompiledRuleScript? script, bool ownsScript)
    {
        _ownsScript = ownsScript;
        Kind = kind;
        _scope = scope;
        _filter = filter;
        _condition = condition;
        _plugin = plugin;
        _script = script;
        var parts = new List<(string, CompiledRuleCondition)>();
        var texts = condition is null ? [] : SplitTopLevelAnd(condition.Check.NormalizedText ?? condition.Source);
        if (texts.Count > 1)
        {
            foreach (var text in texts)
            {
                try
                {
                    parts.Add((text, compiler.CompileCondition(text)));
                }
                catch (RuleExpressionException)
                {
                    // A part that is not a condition on its own (cannot happen for an and-chain of conditions): explain as a whole.
                    parts.Clear();
                    break;
                }
            }
        }
        _parts = parts;
        Variables = [.. (condition?.Variables ?? []).Concat(script?.Variables ?? []).Distinct().OrderBy(v => v.Slot)];
    }

    /// <summary>A plugin rule: <paramref name="preCondition"/> (optional) first, then the plugin judges and proposes.</summary>
    public static PreparedRule ForPlugin(RuleScope scope, RuleFilter filter, CompiledRuleCondition? preCondition, RuleExpressionCompiler compiler,
        RulePluginRunner runner, string pluginId, IReadOnlyDictionary<string, double> parameters) =>
        new(RuleKinds.Plugin, scope, filter, preCondition, compiler, new PluginJudge(runner, pluginId, parameters), null, false);

    /// <summary>A script rule: <paramref name="preCondition"/> (optional) first, then the script decides.</summary>
    /// <param name="ownsScript">Unload the script on <see cref="Dispose"/> (true for a one-off compilation, false for a cached one).</param>
    public static PreparedRule ForScript(RuleScope scope, RuleFilter filter, CompiledRuleCondition? preCondition, RuleExpressionCompiler compiler,
        CompiledRuleScript script, bool ownsScript) =>
        new(RuleKinds.Script, scope, filter, preCondition, compiler, null, script, ownsScript);

    public void Dispose()
    {
        if (_ownsScript)
        {
            _script?.Dispose();
        }
    }

    public string Kind { get; }

    public RuleScope Scope => _scope;

    /// <summary>The catalogue variables the expression (and script) read: the values shown for each entity.</summary>
    public IReadOnlyList<RuleVariable> Variables { get; }

    /// <summary>Judges every entity of the rule's scope.</summary>
    /// <exception cref="RuleScriptException">A script rule's script threw or ran out of time.</exception>
    public IReadOnlyList<EntityEvaluation> Evaluate(RuleSnapshot snapshot)
    {
        var entities = snapshot.Entities(_scope).ToList();
        if (_script is null)
        {
            return [.. entities.Select(e => Evaluate(e, snapshot, null))];
        }
        // One time budget for the whole batch: a script that loops forever stops once, not once per entity.
        var candidates = entities.Where(e => _filter.Matches(e) && (_condition?.Evaluate(e.Values) ?? true)).ToList();
        var verdicts = _script.EvaluateAll(candidates);
        var byEntity = candidates.Select((e, i) => (e.Id, verdicts[i])).ToDictionary(x => x.Id, x => x.Item2);
        return [.. entities.Select(e => Evaluate(e, snapshot, byEntity.TryGetValue(e.Id, out var verdict) ? verdict : null))];
    }

    private EntityEvaluation Evaluate(EntitySnapshot entity, RuleSnapshot snapshot, bool? scriptVerdict)
    {
        var values = Rounded(entity.Describe(Variables));
        if (!_filter.Matches(entity))
        {
            return new(entity, false, false, values, "Left out by the rule's filter.");
        }
        if (Kind == RuleKinds.Expression || _condition is not null)
        {
            var holds = _condition!.Evaluate(entity.Values);
            if (!holds)
            {
                var explained = Explain(entity, values);
                return new(entity, true, false, values, Kind == RuleKinds.Expression ? explained : "Pre-condition not met. " + explained);
            }
            if (Kind == RuleKinds.Expression)
            {
                return new(entity, true, true, values, "Every condition holds.");
            }
        }
        if (_plugin is not null)
        {
            return _plugin.Judge(entity, snapshot, values);
        }
        return scriptVerdict == true
            ? new(entity, true, true, values, "The script returned true.")
            : new(entity, true, false, values, "The script returned false.");
    }

    private string Explain(EntitySnapshot entity, IReadOnlyDictionary<string, object?> values)
    {
        var failed = _parts.Where(p => !p.Condition.Evaluate(entity.Values)).Select(p => p.Text).ToList();
        if (failed.Count == 0)
        {
            return "The condition is false.";
        }
        var missing = _condition!.Variables.Where(v => v.Type == RuleValueType.Number && values[v.Name] is null
            && failed.Any(f => f.Contains(v.Name, StringComparison.Ordinal))).Select(v => v.Name).ToList();
        var reason = "False: " + string.Join("; ", failed) + ".";
        return missing.Count == 0 ? reason : reason + $" Missing (no data): {string.Join(", ", missing)}.";
    }

    /// <summary>Asks a plugin about one entity and turns its proposals into rule actions (invalid ones are dropped, and said so).</summary>
    private sealed class PluginJudge(RulePluginRunner runner, string pluginId, IReadOnlyDictionary<string, double> parameters)
    {
        public EntityEvaluation Judge(EntitySnapshot entity, RuleSnapshot snapshot, IReadOnlyDictionary<string, object?> values)
        {
            var result = runner.Evaluate(pluginId, entity, snapshot, parameters);
            if (result.Outcome is not { } outcome)
            {
                return new(entity, true, false, values, result.Error ?? $"Plugin {pluginId} gave no verdict.");
            }
            if (!outcome.Matched)
            {
                return new(entity, true, false, values, outcome.Reason);
            }
            var proposals = new List<RuleActionSpec>();
            var dropped = new List<string>();
            foreach (var proposed in outcome.Actions)
            {
                var spec = ToSpec(proposed);
                if (spec.Problem(entity.Scope) is { } problem)
                {
                    dropped.Add($"{proposed.Type} ({problem})");
                }
                else
                {
                    proposals.Add(spec);
                }
            }
            var reason = dropped.Count == 0 ? outcome.Reason : $"{outcome.Reason} Ignored invalid proposals: {string.Join("; ", dropped)}.";
            return new(entity, true, true, values, reason, proposals);
        }

        /// <summary>A plugin's proposal in the rule actions' shape (settings are invariant-culture strings).</summary>
        public static RuleActionSpec ToSpec(ProposedAction proposed)
        {
            var settings = proposed.Settings ?? new Dictionary<string, string>();
            return new RuleActionSpec
            {
                Type = proposed.Type,
                Percent = Number(settings, "percent"),
                Amount = Number(settings, "amount"),
                Min = Number(settings, "min"),
                Max = Number(settings, "max"),
                Message = settings.GetValueOrDefault("message"),
                Tag = settings.GetValueOrDefault("tag"),
            };
        }

        private static decimal? Number(IReadOnlyDictionary<string, string> settings, string name) =>
            settings.TryGetValue(name, out var text) && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    /// <summary>The API's rounding: money to cents, ratios and fractions to 4 decimals, counts to whole numbers.</summary>
    private IReadOnlyDictionary<string, object?> Rounded(IReadOnlyDictionary<string, object?> values)
    {
        var rounded = new Dictionary<string, object?>(values.Count, StringComparer.Ordinal);
        foreach (var variable in Variables)
        {
            var value = values[variable.Name];
            rounded[variable.Name] = value is double number ? Math.Round(number, variable.Unit switch
            {
                RuleUnit.Money => 2,
                RuleUnit.Count => 0,
                _ => 4,
            }, MidpointRounding.AwayFromZero) : value;
        }
        return rounded;
    }

    /// <summary>The operands of a top-level <c>and</c>/<c>&amp;&amp;</c> chain (one item when there is none), outer parentheses removed.</summary>
    public static IReadOnlyList<string> SplitTopLevelAnd(string text)
    {
        text = StripParentheses(text.Trim());
        var parts = new List<string>();
        var depth = 0;
        var inQuote = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\'')
            {
                inQuote = !inQuote;
            }
            if (inQuote)
            {
                continue;
            }
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (depth == 0 && IsAndAt(text, i, out var length))
            {
                parts.Add(text[start..i]);
                start = i + length;
                i += length - 1;
            }
            else if (depth == 0 && (IsWordAt(text, i, "or") || c == '?' || (c == '|' && i + 1 < text.Length && text[i + 1] == '|')))
            {
                return [text];
            }
        }
        parts.Add(text[start..]);
        return [.. parts.Select(p => StripParentheses(p.Trim())).Where(p => p.Length > 0)];
    }

    private static bool IsAndAt(string text, int i, out int length)
    {
        if (text[i] == '&' && i + 1 < text.Length && text[i + 1] == '&')
        {
            length = 2;
            return true;
        }
        length = 3;
        return IsWordAt(text, i, "and");
    }

    private static bool IsWordAt(string text, int i, string word) =>
        i + word.Length <= text.Length && string.Compare(text, i, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0
        && (i == 0 || !IsNameChar(text[i - 1])) && (i + word.Length == text.Length || !IsNameChar(text[i + word.Length]));

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static string StripParentheses(string text)
    {
        while (text.Length >= 2 && text[0] == '(' && text[^1] == ')' && ClosesAtEnd(text))
        {
            text = text[1..^1].Trim();
        }
        return text;
    }

    /// <summary>Whether the opening parenthesis at 0 closes at the last character (not "(a) and (b)").</summary>
    private static bool ClosesAtEnd(string text)
    {
        var depth = 0;
        var inQuote = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\'')
            {
                inQuote = !inQuote;
            }
            else if (!inQuote && text[i] == '(')
            {
                depth++;
            }
            else if (!inQuote && text[i] == ')' && --depth == 0 && i < text.Length - 1)
            {
                return false;
            }
        }
        return true;
    }
}
