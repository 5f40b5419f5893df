using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
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
/// <see cref="ProposedActions"/> are what its plugin proposes for this entity (null for expression and script rules,
/// whose actions are the rule's own). The values and the reason are worked out when first read: a run over thousands
/// of entities needs them only for the entities its log lists.
/// </summary>
public sealed class EntityEvaluation
{
    private readonly PreparedRule _rule;
    private readonly string? _reason;
    private readonly string _explanationPrefix = "";
    private IReadOnlyDictionary<string, object?>? _values;

    internal EntityEvaluation(PreparedRule rule, EntitySnapshot entity, bool inFilter, bool matched, string reason,
        IReadOnlyList<RuleActionSpec>? proposedActions = null)
    {
        _rule = rule;
        Entity = entity;
        InFilter = inFilter;
        Matched = matched;
        _reason = reason;
        ProposedActions = proposedActions;
    }

    /// <summary>An entity in the filter whose condition was false: the reason names the parts that were false.</summary>
    internal EntityEvaluation(PreparedRule rule, EntitySnapshot entity, string explanationPrefix)
    {
        _rule = rule;
        Entity = entity;
        InFilter = true;
        _explanationPrefix = explanationPrefix;
    }

    public EntitySnapshot Entity { get; }
    public bool InFilter { get; }
    public bool Matched { get; }
    public IReadOnlyList<RuleActionSpec>? ProposedActions { get; }

    /// <summary>The rule's variables for this entity, rounded as the API shows them.</summary>
    public IReadOnlyDictionary<string, object?> Values => _values ??= _rule.ValuesOf(Entity);

    public string Reason => _reason ?? _explanationPrefix + _rule.Explain(Entity);
}

/// <summary>
/// A rule ready to judge entities of its scope, with an explanation for each. Three kinds (<see cref="RuleKinds"/>):
/// an expression decides (and the log names the parts of a top-level <c>and</c> chain that were false, so it says
/// "roas_7d &gt;= 3 was false" instead of just "no match"); a rule plugin decides and proposes actions; or a trusted
/// C# script decides. Plugin and script rules may have an expression too: a pre-condition an entity must meet first.
/// </summary>
public sealed class PreparedRule : IDisposable
{
    // The explanation of a compiled condition (its and-parts compiled on their own, the texts of each way to fail) is
    // made once per condition: saved rules' conditions are cached per version, so runs after the first reuse it.
    private static readonly ConditionalWeakTable<CompiledRuleCondition, Explanation> Explanations = [];

    private readonly RuleScope _scope;
    private readonly RuleFilter _filter;
    private readonly CompiledRuleCondition? _condition;
    private readonly RuleExpressionCompiler _compiler;
    private readonly PluginJudge? _plugin;
    private readonly CompiledRuleScript? _script;
    private readonly bool _ownsScript;
    private Explanation? _explanation;

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
        _compiler = compiler;
        _plugin = plugin;
        _script = script;
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
        var entities = snapshot.Entities(_scope);
        if (_script is null)
        {
            var evaluations = new EntityEvaluation[entities.Count];
            for (var i = 0; i < entities.Count; i++)
            {
                evaluations[i] = Evaluate(entities[i], snapshot, null);
            }
            return evaluations;
        }
        // One time budget for the whole batch: a script that loops forever stops once, not once per entity.
        var candidates = entities.Where(e => _filter.Matches(e) && (_condition?.Evaluate(e.Values) ?? true)).ToList();
        var verdicts = _script.EvaluateAll(candidates);
        var byEntity = candidates.Select((e, i) => (e.Id, verdicts[i])).ToDictionary(x => x.Id, x => x.Item2);
        return [.. entities.Select(e => Evaluate(e, snapshot, byEntity.TryGetValue(e.Id, out var verdict) ? verdict : null))];
    }

    private EntityEvaluation Evaluate(EntitySnapshot entity, RuleSnapshot snapshot, bool? scriptVerdict)
    {
        if (!_filter.Matches(entity))
        {
            return new(this, entity, false, false, "Left out by the rule's filter.");
        }
        if (Kind == RuleKinds.Expression || _condition is not null)
        {
            if (!_condition!.Evaluate(entity.Values))
            {
                return new(this, entity, Kind == RuleKinds.Expression ? "" : "Pre-condition not met. ");
            }
            if (Kind == RuleKinds.Expression)
            {
                return new(this, entity, true, true, "Every condition holds.");
            }
        }
        if (_plugin is not null)
        {
            return _plugin.Judge(this, entity, snapshot);
        }
        return scriptVerdict == true
            ? new(this, entity, true, true, "The script returned true.")
            : new(this, entity, true, false, "The script returned false.");
    }

    /// <summary>
    /// Why the condition was false for an entity: the parts of its top-level <c>and</c> chain that were false, and the
    /// variables in them that had no data. Entities fail in few distinct ways, so the text of each way is made once.
    /// </summary>
    internal string Explain(EntitySnapshot entity)
    {
        var explanation = _explanation ??= Explanations.GetValue(_condition!, condition => new Explanation(condition, _compiler));
        if (explanation.Parts.Count == 0)
        {
            return "The condition is false.";
        }
        var failed = 0UL;
        for (var i = 0; i < explanation.Parts.Count; i++)
        {
            if (!explanation.Parts[i].Condition.Evaluate(entity.Values))
            {
                failed |= 1UL << i;
            }
        }
        if (failed == 0)
        {
            return "The condition is false.";
        }
        var missing = 0UL;
        for (var v = 0; v < explanation.Numbers.Count; v++)
        {
            if ((explanation.Numbers[v].InParts & failed) != 0 && double.IsNaN(entity.Values[explanation.Numbers[v].Variable.Slot]))
            {
                missing |= 1UL << v;
            }
        }
        return explanation.Reasons.TryGetValue((failed, missing), out var reason) ? reason : explanation.Reasons.GetOrAdd((failed, missing), explanation.Text);
    }

    /// <summary>The rule's variables for an entity as the API shows them: money to cents, ratios to 4 decimals, counts whole.</summary>
    internal IReadOnlyDictionary<string, object?> ValuesOf(EntitySnapshot entity)
    {
        var values = new Dictionary<string, object?>(Variables.Count, StringComparer.Ordinal);
        foreach (var variable in Variables)
        {
            values[variable.Name] = variable.Type switch
            {
                RuleValueType.Text => entity.Status,
                RuleValueType.Boolean => entity.Values[variable.Slot] != 0,
                _ => entity.Value(variable) is { } number ? Math.Round(number, variable.Unit switch
                {
                    RuleUnit.Money => 2,
                    RuleUnit.Count => 0,
                    _ => 4,
                }, MidpointRounding.AwayFromZero) : null,
            };
        }
        return values;
    }

    /// <summary>A condition's and-parts, each compiled on its own, and the texts of the ways it has failed so far.</summary>
    private sealed class Explanation
    {
        // Up to 64 parts and numeric variables fit the bit masks that key the texts; a longer chain is explained as a whole.
        private const int MaxParts = 64;

        public Explanation(CompiledRuleCondition condition, RuleExpressionCompiler compiler)
        {
            var texts = SplitTopLevelAnd(condition.Check.NormalizedText ?? condition.Source);
            var parts = new List<(string, CompiledRuleCondition)>();
            if (texts.Count > 1 && texts.Count <= MaxParts)
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
            Parts = parts;
            var numbers = condition.Variables.Where(v => v.Type == RuleValueType.Number).Take(MaxParts).ToList();
            Numbers = [.. numbers.Select(v => (v, Mask(parts.Select(p => p.Item1.Contains(v.Name, StringComparison.Ordinal)))))];
        }

        public IReadOnlyList<(string Text, CompiledRuleCondition Condition)> Parts { get; }

        /// <summary>The numeric variables, each with the parts whose text names it.</summary>
        public IReadOnlyList<(RuleVariable Variable, ulong InParts)> Numbers { get; }

        public ConcurrentDictionary<(ulong Failed, ulong Missing), string> Reasons { get; } = new();

        public string Text((ulong Failed, ulong Missing) key)
        {
            var reason = "False: " + string.Join("; ", Parts.Where((_, i) => (key.Failed & (1UL << i)) != 0).Select(p => p.Text)) + ".";
            var missing = Numbers.Where((_, v) => (key.Missing & (1UL << v)) != 0).Select(n => n.Variable.Name).ToList();
            return missing.Count == 0 ? reason : reason + $" Missing (no data): {string.Join(", ", missing)}.";
        }

        private static ulong Mask(IEnumerable<bool> bits) => bits.Select((bit, i) => bit ? 1UL << i : 0).Aggregate(0UL, (a, b) => a | b);
    }

    /// <summary>Asks a plugin about one entity and turns its proposals into rule actions (invalid ones are dropped, and said so).</summary>
    private sealed class PluginJudge(RulePluginRunner runner, string pluginId, IReadOnlyDictionary<string, double> parameters)
    {
        public EntityEvaluation Judge(PreparedRule rule, EntitySnapshot entity, RuleSnapshot snapshot)
        {
            var result = runner.Evaluate(pluginId, entity, snapshot, parameters);
            if (result.Outcome is not { } outcome)
            {
                return new(rule, entity, true, false, result.Error ?? $"Plugin {pluginId} gave no verdict.");
            }
            if (!outcome.Matched)
            {
                return new(rule, entity, true, false, outcome.Reason);
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
            return new(rule, entity, true, true, reason, proposals);
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
