using System.Globalization;

namespace AdIntel.Fakes.Shopify;

/// <summary>
/// Shopify's search syntax for the <c>query</c> argument: <c>field:value</c> terms with <c>:&gt;</c>,
/// <c>:&gt;=</c>, <c>:&lt;</c>, <c>:&lt;=</c>, joined by <c>AND</c> (or juxtaposition) and <c>OR</c> (binding looser),
/// <c>NOT</c>/<c>-</c> negation, values quoted with ' or " when they contain spaces or colons. Fields a resource does not
/// know are ignored, as Shopify ignores them (with a warning in its answer).
/// </summary>
internal sealed class FakeShopifySearch
{
    public static readonly object UnknownField = new();

    private readonly List<List<Term>> _alternatives;

    private FakeShopifySearch(List<List<Term>> alternatives) => _alternatives = alternatives;

    private sealed record Term(string Field, string Operator, string Value, bool Negated);

    public static FakeShopifySearch Parse(string? query)
    {
        var alternatives = new List<List<Term>> { new() };
        if (string.IsNullOrWhiteSpace(query))
        {
            return new FakeShopifySearch(alternatives);
        }
        foreach (var token in Tokens(query))
        {
            if (token == "OR")
            {
                alternatives.Add([]);
                continue;
            }
            if (token == "AND")
            {
                continue;
            }
            var negated = false;
            var text = token;
            if (text.StartsWith('-') || text.StartsWith("NOT ", StringComparison.Ordinal))
            {
                negated = true;
                text = text.StartsWith('-') ? text[1..] : text[4..];
            }
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                // A bare word searches default fields; the fake matches nothing on it rather than everything.
                alternatives[^1].Add(new Term("", "=", text, negated));
                continue;
            }
            var field = text[..colon];
            var rest = text[(colon + 1)..];
            var op = rest.StartsWith(">=", StringComparison.Ordinal) ? ">=" : rest.StartsWith("<=", StringComparison.Ordinal) ? "<="
                : rest.StartsWith('>') ? ">" : rest.StartsWith('<') ? "<" : "=";
            var value = rest[(op == "=" ? 0 : op.Length)..].Trim('\'', '"');
            alternatives[^1].Add(new Term(field, op, value, negated));
        }
        return new FakeShopifySearch(alternatives);
    }

    public bool Matches(Func<string, object?> fieldValue) =>
        _alternatives.Any(terms => terms.All(term => Matches(term, fieldValue)));

    private static bool Matches(Term term, Func<string, object?> fieldValue)
    {
        if (term.Field.Length == 0)
        {
            return term.Negated;
        }
        var actual = fieldValue(term.Field);
        if (ReferenceEquals(actual, UnknownField))
        {
            return true;
        }
        int? comparison = actual switch
        {
            DateTimeOffset at when DateTimeOffset.TryParse(term.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var wanted) =>
                at.CompareTo(wanted),
            long number when long.TryParse(term.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var wanted) => number.CompareTo(wanted),
            bool flag when bool.TryParse(term.Value, out var wanted) => flag == wanted ? 0 : 1,
            string text => string.Compare(text, term.Value, StringComparison.OrdinalIgnoreCase),
            _ => null,
        };
        var result = comparison is { } c && term.Operator switch
        {
            ">" => c > 0,
            ">=" => c >= 0,
            "<" => c < 0,
            "<=" => c <= 0,
            _ => c == 0,
        };
        return result != term.Negated;
    }

    /// <summary>Splits on spaces outside quotes; keeps "NOT x" together.</summary>
    private static IEnumerable<string> Tokens(string query)
    {
        var tokens = new List<string>();
        var current = new System.Text.StringBuilder();
        char? quote = null;
        foreach (var c in query)
        {
            if (quote is not null)
            {
                current.Append(c);
                if (c == quote)
                {
                    quote = null;
                }
                continue;
            }
            if (c is '\'' or '"')
            {
                quote = c;
                current.Append(c);
                continue;
            }
            if (char.IsWhiteSpace(c))
            {
                if (current.Length > 0)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                }
                continue;
            }
            current.Append(c);
        }
        if (current.Length > 0)
        {
            tokens.Add(current.ToString());
        }
        for (var i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] == "NOT" && i + 1 < tokens.Count)
            {
                yield return "NOT " + tokens[++i];
            }
            else
            {
                yield return tokens[i];
            }
        }
    }
}
