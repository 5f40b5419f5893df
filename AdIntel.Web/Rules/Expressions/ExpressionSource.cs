namespace AdIntel.Web.Rules.Expressions;

/// <summary>
/// A light scan of an expression's text, done before NCalc parses it: nesting depth (so a pathological input never
/// reaches the recursive parser) and where each name occurs (NCalc's tree carries no positions).
/// </summary>
internal sealed class ExpressionSource
{
    private const string OperatorChars = "+-*/%<>=!&|?:^~";
    private static readonly HashSet<string> ValidOperators = ["+", "-", "*", "/", "%", "**", "<", "<=", ">", ">=", "=", "==", "!=", "<>", "!", "&&", "||", "??", "?", ":", "&", "|", "^", "~", "<<", ">>"];

    private readonly string _text;
    private readonly List<(string Name, int Index)> _names = [];

    public ExpressionSource(string text)
    {
        _text = text;
        Scan();
    }

    /// <summary>Deepest parenthesis nesting outside string literals.</summary>
    public int MaxParenthesisDepth { get; private set; }

    /// <summary>Where <paramref name="name"/> first occurs as a name (case-insensitive), or null.</summary>
    public SourcePosition? FindName(string name)
    {
        foreach (var (candidate, index) in _names)
        {
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
            {
                return Span(index, candidate.Length);
            }
        }
        return null;
    }

    /// <summary>The first run of operator characters that is no operator (where NCalc's "Unknown operator sequence" comes from).</summary>
    public SourcePosition? FindInvalidOperator()
    {
        var i = 0;
        while (i < _text.Length)
        {
            if (_text[i] is '\'' or '"')
            {
                i = SkipString(i);
                continue;
            }
            if (OperatorChars.Contains(_text[i]))
            {
                var start = i;
                while (i < _text.Length && OperatorChars.Contains(_text[i]))
                {
                    i++;
                }
                var run = _text[start..i];
                if (!ValidOperators.Contains(run) && !IsOperatorThenSign(run))
                {
                    return Span(start, run.Length);
                }
                continue;
            }
            i++;
        }
        return null;
    }

    /// <summary>Converts NCalc's 1-based "(line:column)" to a position.</summary>
    public SourcePosition AtLineColumn(int line, int column)
    {
        var index = 0;
        for (var l = 1; l < line && index < _text.Length; l++)
        {
            var next = _text.IndexOf('\n', index);
            index = next < 0 ? _text.Length : next + 1;
        }
        index = Math.Min(_text.Length, index + Math.Max(0, column - 1));
        return new SourcePosition(line, column, index, index < _text.Length ? 1 : 0);
    }

    private SourcePosition Span(int index, int length)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (_text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return new SourcePosition(line, index - lineStart + 1, index, length);
    }

    // "a > -1", "a*-1": an operator followed by a sign is two valid tokens.
    private static bool IsOperatorThenSign(string run) =>
        run.Length >= 2 && run[^1] is '-' or '+' or '!' && ValidOperators.Contains(run[..^1]);

    private void Scan()
    {
        var depth = 0;
        var i = 0;
        while (i < _text.Length)
        {
            var c = _text[i];
            if (c is '\'' or '"')
            {
                i = SkipString(i);
                continue;
            }
            if (c == '(')
            {
                depth++;
                MaxParenthesisDepth = Math.Max(MaxParenthesisDepth, depth);
            }
            else if (c == ')')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (c == '[')
            {
                var end = _text.IndexOf(']', i + 1);
                if (end > i)
                {
                    _names.Add((_text[(i + 1)..end], i + 1));
                    i = end + 1;
                    continue;
                }
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < _text.Length && (char.IsLetterOrDigit(_text[i]) || _text[i] == '_'))
                {
                    i++;
                }
                _names.Add((_text[start..i], start));
                continue;
            }
            else if (char.IsDigit(c))
            {
                // Skip numbers such as 1e3 so their exponent is not taken for a name.
                while (i < _text.Length && (char.IsLetterOrDigit(_text[i]) || _text[i] == '.'))
                {
                    i++;
                }
                continue;
            }
            i++;
        }
    }

    private int SkipString(int start)
    {
        var quote = _text[start];
        var end = _text.IndexOf(quote, start + 1);
        return end < 0 ? _text.Length : end + 1;
    }
}
