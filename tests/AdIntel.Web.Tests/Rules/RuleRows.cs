using AdIntel.Web.Rules.Expressions;

namespace AdIntel.Web.Tests.Rules;

/// <summary>Builds snapshot rows for expression tests: every variable missing unless given.</summary>
internal static class RuleRows
{
    /// <summary>A row where the named variables have the given values (null = missing, bool = 1/0, string = status).</summary>
    public static double[] With(params (string Name, object? Value)[] values)
    {
        var row = new double[RuleVariableCatalogue.SlotCount];
        Array.Fill(row, double.NaN);
        foreach (var (name, value) in values)
        {
            row[RuleVariableCatalogue.Get(name).Slot] = value switch
            {
                null => double.NaN,
                bool b => b ? 1 : 0,
                string status => RuleVariableCatalogue.StatusCode(status),
                var number => Convert.ToDouble(number, System.Globalization.CultureInfo.InvariantCulture),
            };
        }
        return row;
    }
}
