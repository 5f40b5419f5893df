using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AdIntel.Fakes.Shopify;

/// <summary>A field of a selection set: <c>alias: name(arguments) { selections }</c>.</summary>
public sealed record GqlField(string Alias, string Name, IReadOnlyDictionary<string, object?> Arguments, IReadOnlyList<GqlField> Selections)
{
    public object? Argument(string name) => Arguments.TryGetValue(name, out var value) ? value : null;
}

/// <summary>A parsed operation: <c>query</c> or <c>mutation</c>, with its variables already substituted into arguments.</summary>
public sealed record GqlOperation(string Kind, IReadOnlyList<GqlField> Selections);

/// <summary>A syntax error or an unknown variable, reported as GraphQL reports it (HTTP 200, <c>errors[]</c>).</summary>
public sealed class GqlException(string message, string code = "PARSE_ERROR") : Exception(message)
{
    public string Code => code;
}

/// <summary>
/// Enough of the GraphQL query language for what Shopify clients send: one operation (shorthand <c>{…}</c>, <c>query</c>
/// or <c>mutation</c>, optional name and variable definitions with defaults), fields with aliases and arguments
/// (variables, strings, block strings, numbers, booleans, null, enums, lists, objects). Fragments and directives are
/// refused with a GraphQL error, so a client that relies on them fails here as it would against an incomplete server,
/// never silently.
/// </summary>
public sealed class FakeGraphQlParser
{
    private readonly string _text;
    private readonly IReadOnlyDictionary<string, JsonElement> _variables;
    private int _position;

    private FakeGraphQlParser(string text, IReadOnlyDictionary<string, JsonElement> variables)
    {
        _text = text;
        _variables = variables;
    }

    public static GqlOperation Parse(string text, IReadOnlyDictionary<string, JsonElement>? variables = null)
    {
        var parser = new FakeGraphQlParser(text, variables ?? new Dictionary<string, JsonElement>());
        var operation = parser.ParseOperation();
        parser.SkipIgnored();
        if (parser._position < text.Length)
        {
            throw parser.Error("only one operation per document is supported");
        }
        return operation;
    }

    private GqlOperation ParseOperation()
    {
        SkipIgnored();
        var kind = "query";
        var defaults = new Dictionary<string, object?>();
        if (Peek() != '{')
        {
            kind = ReadName();
            if (kind is not ("query" or "mutation"))
            {
                throw Error(kind == "fragment" || kind == "subscription" ? $"{kind} is not supported" : $"unexpected “{kind}”");
            }
            SkipIgnored();
            if (char.IsLetter(Peek()) || Peek() == '_')
            {
                ReadName();
            }
            SkipIgnored();
            if (Peek() == '(')
            {
                ParseVariableDefinitions(defaults);
            }
        }
        _defaults = defaults;
        return new GqlOperation(kind, ParseSelectionSet());
    }

    private Dictionary<string, object?> _defaults = [];

    private void ParseVariableDefinitions(Dictionary<string, object?> defaults)
    {
        Expect('(');
        while (true)
        {
            SkipIgnored();
            if (Peek() == ')')
            {
                _position++;
                return;
            }
            Expect('$');
            var name = ReadName();
            Expect(':');
            ParseTypeReference();
            SkipIgnored();
            if (Peek() == '=')
            {
                _position++;
                defaults[name] = ParseValue(constant: true);
            }
        }
    }

    private void ParseTypeReference()
    {
        SkipIgnored();
        if (Peek() == '[')
        {
            _position++;
            ParseTypeReference();
            Expect(']');
        }
        else
        {
            ReadName();
        }
        SkipIgnored();
        if (Peek() == '!')
        {
            _position++;
        }
    }

    private List<GqlField> ParseSelectionSet()
    {
        Expect('{');
        var fields = new List<GqlField>();
        while (true)
        {
            SkipIgnored();
            if (Peek() == '}')
            {
                _position++;
                if (fields.Count == 0)
                {
                    throw Error("a selection set must not be empty");
                }
                return fields;
            }
            if (Peek() == '.')
            {
                fields.Add(ParseInlineFragment());
                continue;
            }
            if (Peek() == '@')
            {
                throw Error("directives are not supported by this fake");
            }
            var alias = ReadName();
            var name = alias;
            SkipIgnored();
            if (Peek() == ':')
            {
                _position++;
                name = ReadName();
            }
            SkipIgnored();
            var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (Peek() == '(')
            {
                _position++;
                while (true)
                {
                    SkipIgnored();
                    if (Peek() == ')')
                    {
                        _position++;
                        break;
                    }
                    var argument = ReadName();
                    Expect(':');
                    arguments[argument] = ParseValue(constant: false);
                }
            }
            SkipIgnored();
            var selections = Peek() == '{' ? ParseSelectionSet() : [];
            fields.Add(new GqlField(alias, name, arguments, selections));
        }
    }

    /// <summary>
    /// <c>... on Type { … }</c> becomes a pseudo-field named <c>... on Type</c> whose selections apply when the object is
    /// of that type (what <c>node(id:)</c> needs). Named fragments are refused.
    /// </summary>
    private GqlField ParseInlineFragment()
    {
        if (string.CompareOrdinal(_text, _position, "...", 0, 3) != 0)
        {
            throw Error("unexpected “.”");
        }
        _position += 3;
        var on = ReadName();
        if (on != "on")
        {
            throw Error("named fragments are not supported by this fake", "FRAGMENTS_NOT_SUPPORTED");
        }
        var type = ReadName();
        SkipIgnored();
        return new GqlField("", InlineFragmentPrefix + type, new Dictionary<string, object?>(), ParseSelectionSet());
    }

    public const string InlineFragmentPrefix = "... on ";

    private object? ParseValue(bool constant)
    {
        SkipIgnored();
        var c = Peek();
        switch (c)
        {
            case '$' when !constant:
                _position++;
                var variable = ReadName();
                if (_variables.TryGetValue(variable, out var json))
                {
                    return FromJson(json);
                }
                return _defaults.TryGetValue(variable, out var fallback) ? fallback : null;
            case '"':
                return ReadString();
            case '[':
                _position++;
                var list = new List<object?>();
                while (true)
                {
                    SkipIgnored();
                    if (Peek() == ']')
                    {
                        _position++;
                        return list;
                    }
                    list.Add(ParseValue(constant));
                }
            case '{':
                _position++;
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                while (true)
                {
                    SkipIgnored();
                    if (Peek() == '}')
                    {
                        _position++;
                        return map;
                    }
                    var key = ReadName();
                    Expect(':');
                    map[key] = ParseValue(constant);
                }
        }
        if (c == '-' || char.IsDigit(c))
        {
            var start = _position;
            _position++;
            while (_position < _text.Length && (char.IsDigit(_text[_position]) || _text[_position] is '.' or 'e' or 'E' or '+' or '-'))
            {
                _position++;
            }
            var number = _text[start.._position];
            return long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                ? (object)integer
                : double.Parse(number, CultureInfo.InvariantCulture);
        }
        var word = ReadName();
        return word switch
        {
            "true" => true,
            "false" => false,
            "null" => null,
            _ => new GqlEnum(word),
        };
    }

    private static object? FromJson(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.String => json.GetString(),
        JsonValueKind.Number => json.TryGetInt64(out var integer) ? (object)integer : json.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => json.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.Object => json.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value), StringComparer.Ordinal),
        _ => null,
    };

    private string ReadString()
    {
        if (string.CompareOrdinal(_text, _position, "\"\"\"", 0, 3) == 0)
        {
            var end = _text.IndexOf("\"\"\"", _position + 3, StringComparison.Ordinal);
            if (end < 0)
            {
                throw Error("unterminated block string");
            }
            var raw = _text[(_position + 3)..end];
            _position = end + 3;
            return raw.Replace("\\\"\"\"", "\"\"\"", StringComparison.Ordinal).Trim();
        }
        _position++;
        var builder = new StringBuilder();
        while (_position < _text.Length && _text[_position] != '"')
        {
            var ch = _text[_position++];
            if (ch != '\\')
            {
                builder.Append(ch);
                continue;
            }
            if (_position >= _text.Length)
            {
                break;
            }
            var escaped = _text[_position++];
            switch (escaped)
            {
                case 'n': builder.Append('\n'); break;
                case 't': builder.Append('\t'); break;
                case 'r': builder.Append('\r'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'u' when _position + 4 <= _text.Length:
                    builder.Append((char)int.Parse(_text.AsSpan(_position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    _position += 4;
                    break;
                default: builder.Append(escaped); break;
            }
        }
        if (_position >= _text.Length)
        {
            throw Error("unterminated string");
        }
        _position++;
        return builder.ToString();
    }

    private string ReadName()
    {
        SkipIgnored();
        var start = _position;
        while (_position < _text.Length && (char.IsLetterOrDigit(_text[_position]) || _text[_position] == '_'))
        {
            _position++;
        }
        if (start == _position)
        {
            throw Error(_position < _text.Length ? $"unexpected “{_text[_position]}”" : "unexpected end of document");
        }
        return _text[start.._position];
    }

    private void Expect(char c)
    {
        SkipIgnored();
        if (Peek() != c)
        {
            throw Error(_position < _text.Length ? $"expected “{c}”, found “{_text[_position]}”" : $"expected “{c}” at the end of the document");
        }
        _position++;
    }

    private char Peek() => _position < _text.Length ? _text[_position] : '\0';

    /// <summary>Whitespace, commas and comments are insignificant in GraphQL.</summary>
    private void SkipIgnored()
    {
        while (_position < _text.Length)
        {
            var c = _text[_position];
            if (char.IsWhiteSpace(c) || c == ',' || c == '\uFEFF')
            {
                _position++;
            }
            else if (c == '#')
            {
                while (_position < _text.Length && _text[_position] != '\n')
                {
                    _position++;
                }
            }
            else
            {
                return;
            }
        }
    }

    private GqlException Error(string message, string code = "PARSE_ERROR")
    {
        var line = 1 + _text.AsSpan(0, Math.Min(_position, _text.Length)).Count('\n');
        return new GqlException($"Parse error on line {line.ToString(CultureInfo.InvariantCulture)}: {message}", code);
    }
}

/// <summary>An enum literal such as <c>UPDATED_AT</c>.</summary>
public sealed record GqlEnum(string Value);
