using System.Globalization;
using System.Text.RegularExpressions;

namespace AdIntel.Web.Brain.Llm;

/// <summary>A figure the model was given: its value and unit (percent figures may be fractions, 0.125 for 12.5%).</summary>
public sealed record CheckedFigure(string Name, decimal Value, string Unit);

/// <summary>A number stated in a model's text, as written.</summary>
public sealed record StatedNumber(string Text, decimal Value);

/// <summary>
/// Holds a model to the figures it was given: every number in its text ($1,234.56, 12.5%, 3.2x, 1.2k, -4) must be one
/// of those figures as it would naturally be written, i.e. the figure rounded to the precision stated ($1,235 and
/// $1.2k both state 1,234.56), a fraction as a percentage (0.125 as 12.5%) and either sign (a change of -0.15 as
/// "fell 15%"). Numbers that appear in the texts the model was given (a campaign's name, "last 7 days", a date)
/// may be repeated. Anything else is an invented number.
/// </summary>
public sealed partial class FigureCheck
{
    private readonly IReadOnlyList<CheckedFigure> _figures;
    private readonly HashSet<decimal> _literals = [];
    private readonly HashSet<string> _dates = new(StringComparer.Ordinal);

    public FigureCheck(IEnumerable<CheckedFigure> figures, IEnumerable<string?> givenTexts)
    {
        _figures = [.. figures];
        foreach (var text in givenTexts.OfType<string>())
        {
            foreach (Match date in IsoDate().Matches(text))
            {
                _dates.Add(date.Value);
                // "on December 1, 2026" repeats a given date's parts.
                _literals.Add(int.Parse(date.Groups["y"].Value, CultureInfo.InvariantCulture));
                _literals.Add(int.Parse(date.Groups["m"].Value, CultureInfo.InvariantCulture));
                _literals.Add(int.Parse(date.Groups["d"].Value, CultureInfo.InvariantCulture));
            }
            foreach (var number in Extract(text))
            {
                _literals.Add(Math.Abs(number.Value));
            }
        }
    }

    /// <summary>The numbers of <paramref name="text"/> that are none of the figures (empty: the text passes).</summary>
    public IReadOnlyList<StatedNumber> Unknown(string text) =>
        [.. Parse(WithoutGivenDates(text)).Where(n => !_literals.Contains(Math.Abs(n.Number.Value)) && !_figures.Any(f => States(n, f))).Select(n => n.Number)];

    /// <summary>The figures <paramref name="text"/> states: for each number, the figure(s) closest to it among those it may state.</summary>
    public IReadOnlyList<CheckedFigure> Used(string text) =>
        [.. Parse(WithoutGivenDates(text)).SelectMany(n =>
        {
            var candidates = _figures.Where(f => States(n, f)).ToList();
            var closest = candidates.Count == 0 ? 0m : candidates.Min(f => Distance(n, f));
            return candidates.Where(f => Distance(n, f) == closest);
        }).Distinct()];

    private static decimal Distance(ParsedNumber stated, CheckedFigure figure)
    {
        var said = Math.Abs(stated.Number.Value);
        var value = Math.Abs(figure.Value);
        return Math.Min(Math.Abs(value - said), Math.Abs(value * 100m - said));
    }

    /// <summary>Every number written in <paramref name="text"/>, its suffix (k, M, bn) applied to <see cref="StatedNumber.Value"/>.</summary>
    public static IEnumerable<StatedNumber> Extract(string text) => Parse(text).Select(n => n.Number);

    private string WithoutGivenDates(string text) => IsoDate().Replace(text, m => _dates.Contains(m.Value) ? " " : m.Value);

    /// <summary>
    /// Whether <paramref name="stated"/> is <paramref name="figure"/> written to the stated precision: within half a unit
    /// of the last digit written ($1,235 covers 1,234.50 to 1,235.49; 1.2k covers 1,150 to 1,249.99).
    /// </summary>
    private static bool States(ParsedNumber stated, CheckedFigure figure)
    {
        var tolerance = 0.5m * Pow10(-stated.Decimals) * stated.Scale + 0.0000001m;
        var said = Math.Abs(stated.Number.Value);
        var value = Math.Abs(figure.Value);
        var figureIsPercent = figure.Unit.Contains('%', StringComparison.Ordinal) || figure.Unit.Contains("percent", StringComparison.OrdinalIgnoreCase);
        bool Close(decimal candidate) => Math.Abs(candidate - said) <= tolerance;
        return stated.IsPercent || figureIsPercent ? Close(value * 100m) || Close(value) : Close(value);
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < -exponent; i++)
        {
            result /= 10m;
        }
        return result;
    }

    private static IEnumerable<ParsedNumber> Parse(string text)
    {
        foreach (Match match in Number().Matches(text))
        {
            var digits = match.Groups["num"].Value.Replace(",", "", StringComparison.Ordinal);
            if (!decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }
            var suffix = match.Groups["suf"].Value.Trim();
            var scale = suffix switch
            {
                "k" or "K" => 1_000m,
                "m" or "M" => 1_000_000m,
                "bn" or "B" => 1_000_000_000m,
                _ => 1m,
            };
            var point = digits.IndexOf('.', StringComparison.Ordinal);
            var decimals = point < 0 ? 0 : digits.Length - point - 1;
            var signed = (match.Groups["sign"].Success ? -value : value) * scale;
            yield return new ParsedNumber(new StatedNumber(match.Value.Trim(), signed), decimals, scale, suffix == "%");
        }
    }

    private sealed record ParsedNumber(StatedNumber Number, int Decimals, decimal Scale, bool IsPercent);

    // A number not inside a word or another number ("Q4", "v2", "7d" are not figures), with an optional sign, currency
    // symbol, thousands separators, decimals and a suffix.
    [GeneratedRegex(@"(?<![\w.,])(?<sign>[-−])?(?<cur>[$€£¥])?\s?(?<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?<suf>\s?%|\s?[x×](?![\w])|\s?(?:k|K|m|M|bn|B)(?![\w]))?(?![\w]|\.\d)")]
    private static partial Regex Number();

    [GeneratedRegex(@"\b(?<y>\d{4})-(?<m>\d{2})-(?<d>\d{2})\b")]
    private static partial Regex IsoDate();
}
