namespace AdIntel.Web.Brain.Recommendations;

/// <summary>The little probability the recommenders' confidences need.</summary>
internal static class Statistics
{
    /// <summary>P(Z ≤ z) for a standard normal Z (Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7).</summary>
    public static double NormalCdf(double z)
    {
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + 0.3275911 * x);
        var erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.Exp(-x * x);
        return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
    }

    /// <summary>A probability as a decimal between 0 and 1, rounded to 4 places (how confidences are stored and shown).</summary>
    public static decimal Probability(double p) => Math.Round((decimal)Math.Clamp(double.IsNaN(p) ? 0 : p, 0, 1), 4, MidpointRounding.AwayFromZero);
}
