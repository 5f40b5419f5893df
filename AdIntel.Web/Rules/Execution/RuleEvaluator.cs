using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Expressions;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Rules.Execution;

/// <summary>One entity judged by a rule: in the filter or not, matched or not, the values used and why.</summary>
public sealed record EntityEvaluation(EntitySnapshot Entity, bool InFilter, bool Matched, IReadOnlyDictionary<string, object?> Values, string Reason);

/// <summary>
/// A rule's condition ready to judge entities of its scope, with an explanation for each: the parts of a top-level
/// <c>and</c> chain that were false (so the log says "roas_7d &gt;= 3 was false" instead of just "no match").
/// </summary>
public sealed class PreparedRule
{
    private readonly RuleScope _scope;
    private readonly RuleFilter _filter;
    private readonly CompiledRuleCondition _condition;
    private readonly IReadOnlyList<(string Text, CompiledRuleCondition Condition)> _parts;

    public PreparedRule(RuleScope scope, RuleFilter filter, CompiledRuleCondition condition, RuleExpressionCompiler compiler)
    {
        _scope = scope;
        _filter = filter;
        _condition = condition;
        var parts = new List<(string, CompiledRuleCondition)>();
        var texts = SplitTopLevelAnd(condition.Check.NormalizedText ?? condition.Source);
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
    }

    public RuleScope Scope => _scope;

    public IReadOnlyList<RuleVariable> Variables => _condition.Variables;

    public IReadOnlyList<EntityEvaluation> Evaluate(RuleSnapshot snapshot) => [.. snapshot.Entities(_scope).Select(Evaluate)];

    public EntityEvaluation Evaluate(EntitySnapshot entity)
    {
        var values = Rounded(entity.Describe(_condition.Variables));
        if (!_filter.Matches(entity))
        {
            return new(entity, false, false, values, "Left out by the rule's filter.");
        }
        if (_condition.Evaluate(entity.Values))
        {
            return new(entity, true, true, values, "Every condition holds.");
        }
        var failed = _parts.Where(p => !p.Condition.Evaluate(entity.Values)).Select(p => p.Text).ToList();
        if (failed.Count == 0)
        {
            return new(entity, true, false, values, "The condition is false.");
        }
        var missing = _condition.Variables.Where(v => v.Type == RuleValueType.Number && values[v.Name] is null
            && failed.Any(f => f.Contains(v.Name, StringComparison.Ordinal))).Select(v => v.Name).ToList();
        var reason = "False: " + string.Join("; ", failed) + ".";
        return new(entity, true, false, values, missing.Count == 0 ? reason : reason + $" Missing (no data): {string.Join(", ", missing)}.");
    }

    /// <summary>The contract's rounding: money to cents, ratios and fractions to 4 decimals, counts to whole numbers.</summary>
    private IReadOnlyDictionary<string, object?> Rounded(IReadOnlyDictionary<string, object?> values)
    {
        var rounded = new Dictionary<string, object?>(values.Count, StringComparer.Ordinal);
        foreach (var variable in _condition.Variables)
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
