using System.Runtime.CompilerServices;

namespace AdIntel.Web.Rules.Expressions;

/// <summary>
/// The arithmetic of rule expressions, used by compiled expressions (and by hand-written code that must agree with
/// them). A missing number (null) is represented as <see cref="double.NaN"/>, whose IEEE behaviour already gives most
/// of the semantics: arithmetic with a missing value is missing, and &lt;, &lt;=, &gt;, &gt;=, == with a missing
/// value are false. What IEEE does differently is fixed here: division and remainder by zero are missing (not ±∞),
/// != with a missing value is false (IEEE says true), and powers of a missing value are missing (IEEE: NaN⁰ = 1).
/// </summary>
public static class RuleOps
{
    public const double Missing = double.NaN;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Divide(double a, double b) => b == 0 ? Missing : a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Remainder(double a, double b) => b == 0 ? Missing : a % b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Power(double a, double b) => double.IsNaN(a) || double.IsNaN(b) ? Missing : Math.Pow(a, b);

    /// <summary>Different, and both present: false when either is missing, like every comparison.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool NotEqual(double a, double b) => a < b || a > b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Coalesce(double value, double fallback) => double.IsNaN(value) ? fallback : value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool IsMissing(double value) => double.IsNaN(value);

    /// <summary>low ≤ value ≤ high; false when any is missing.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Between(double value, double low, double high) => low <= value && value <= high;

    /// <summary>Change from <paramref name="from"/> to <paramref name="to"/> in percent of <paramref name="from"/>; missing when from is 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double PercentChange(double from, double to) => from == 0 ? Missing : (to - from) / from * 100;

    /// <summary>Rounds half away from zero (2.5 → 3), like a person would.</summary>
    public static double Round(double value, int digits) => Math.Round(value, digits, MidpointRounding.AwayFromZero);

    /// <summary>Calls a plugin's function: missing arguments become null, a null or non-finite result becomes missing.</summary>
    public static double CallPlugin(Func<IReadOnlyList<double?>, double?> function, double[] arguments)
    {
        var values = new double?[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            values[i] = double.IsNaN(arguments[i]) ? null : arguments[i];
        }
        return function(values) is { } result && double.IsFinite(result) ? result : Missing;
    }

    /// <summary>The public face of a stored value: missing becomes null.</summary>
    public static double? ToNullable(double value) => double.IsNaN(value) ? null : value;
}
