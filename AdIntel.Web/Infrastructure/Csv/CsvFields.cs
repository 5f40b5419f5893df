namespace AdIntel.Web.Infrastructure.Csv;

/// <summary>
/// How every CSV the app writes spells a field. Text that a spreadsheet would run as a formula (it starts with
/// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return) gets a leading single quote, OWASP's defence
/// against CSV injection: ad names, store names and audit summaries come from people and platforms we do not control.
/// Numbers are written as they are, so a negative amount stays a number.
/// </summary>
public static class CsvFields
{
    private static ReadOnlySpan<char> FormulaTriggers => "=+-@\t\r";

    /// <summary>A text value, neutralised if a spreadsheet would read it as a formula, then quoted as RFC 4180 needs.</summary>
    public static string Text(string? value) => Quote(NeutraliseFormula(value ?? ""));

    /// <summary>A number (or date) already formatted in the invariant culture: never neutralised.</summary>
    public static string Number(string value) => Quote(value);

    public static string NeutraliseFormula(string value) =>
        value.Length > 0 && FormulaTriggers.Contains(value[0]) ? "'" + value : value;

    /// <summary>RFC 4180: a field holding a comma, quote or line break is quoted, its quotes doubled.</summary>
    public static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
