using static AdIntel.Web.Reports.Ltv.SpecialFunctions;

namespace AdIntel.Web.Reports.Ltv;

/// <summary>
/// The Gamma-Gamma model of monetary value (Fader &amp; Hardie 2013, "The Gamma-Gamma Model of Monetary Value";
/// Colombo &amp; Jiang 1999): each transaction's value is Gamma(p, ν) with ν ~ Gamma(q, γ) across customers; fitted on
/// the mean value m̄ of each customer's x ≥ 1 repeat transactions. <see cref="V"/> is the paper's γ.
/// </summary>
public sealed record GammaGammaModel(double P, double Q, double V)
{
    /// <summary>Σ over customers with repeats of ln f(m̄ | p, q, γ; x).</summary>
    public static double LogLikelihood(IReadOnlyList<(int Frequency, double MeanValue)> customers, double p, double q, double v)
    {
        var logV = Math.Log(v);
        var lgQ = LogGamma(q);
        var byFrequency = new Dictionary<int, double>();
        var total = 0.0;
        foreach (var (x, m) in customers)
        {
            var px = p * x;
            if (!byFrequency.TryGetValue(x, out var gammaTerms))
            {
                gammaTerms = LogGamma(px + q) - LogGamma(px) - lgQ + px * Math.Log(x);
                byFrequency.Add(x, gammaTerms);
            }
            total += gammaTerms + q * logV + (px - 1) * Math.Log(m) - (px + q) * Math.Log(v + m * x);
        }
        return total;
    }

    /// <summary>Maximum-likelihood fit on the customers with at least one repeat and a positive mean repeat value.</summary>
    public static (GammaGammaModel Model, double LogLikelihood, int Customers) Fit(IReadOnlyList<BtydCustomer> customers)
    {
        var sample = customers.Where(c => c.Frequency > 0 && c.MeanRepeatValue > 0)
            .Select(c => (c.Frequency, c.MeanRepeatValue!.Value)).ToList();
        if (sample.Count == 0)
        {
            throw new ArgumentException("The Gamma-Gamma model needs customers with repeat purchases of positive value.", nameof(customers));
        }
        var meanValue = sample.Average(c => c.Item2);
        var n = sample.Count;
        double Objective(double[] x) =>
            x.Any(v => Math.Abs(v) > 30) ? double.PositiveInfinity
            : -LogLikelihood(sample, Math.Exp(x[0]), Math.Exp(x[1]), Math.Exp(x[2])) / n;
        var result = NelderMead.Minimize(Objective, [0, 0, Math.Log(meanValue)]);
        var fitted = new GammaGammaModel(Math.Exp(result.Point[0]), Math.Exp(result.Point[1]), Math.Exp(result.Point[2]));
        return (fitted, -result.Value * n, n);
    }

    /// <summary>E[M]: a new customer's expected value per transaction, p·γ / (q − 1); null when q ≤ 1 (no finite mean).</summary>
    public double? PopulationMeanValue => Q > 1 ? P * V / (Q - 1) : null;

    /// <summary>E[M | p, q, γ, m̄, x]: the expected value per future transaction of a customer, shrunk towards the population mean.</summary>
    public double? ConditionalExpectedValue(int frequency, double meanValue) =>
        frequency == 0 ? PopulationMeanValue : P * (V + frequency * meanValue) / (P * frequency + Q - 1);
}
