using static AdIntel.Web.Reports.Ltv.SpecialFunctions;

namespace AdIntel.Web.Reports.Ltv;

/// <summary>
/// The BG/NBD model (Fader, Hardie &amp; Lee 2005, "Counting Your Customers the Easy Way"): while alive a customer buys
/// at a Poisson rate λ ~ Gamma(r, α); after each purchase they drop out with probability p ~ Beta(a, b).
/// Time is in the unit the model was fitted in (α scales with it).
/// </summary>
public sealed record BgNbdModel(double R, double Alpha, double A, double B)
{
    /// <summary>Σ over customers of the log-likelihood of their (x, tₓ, T) — equation (6) of the paper, in logs.</summary>
    public static double LogLikelihood(IReadOnlyList<BtydCustomer> customers, double r, double alpha, double a, double b)
    {
        // The gamma-function terms depend only on x: compute them once per distinct frequency.
        var byFrequency = new Dictionary<int, double>();
        var logAlpha = Math.Log(alpha);
        var total = 0.0;
        foreach (var c in customers)
        {
            var x = c.Frequency;
            if (!byFrequency.TryGetValue(x, out var gammaTerms))
            {
                gammaTerms = LogGamma(r + x) - LogGamma(r) + r * logAlpha
                    + LogGamma(a + b) + LogGamma(b + x) - LogGamma(b) - LogGamma(a + b + x);
                byFrequency.Add(x, gammaTerms);
            }
            var stillAlive = -(r + x) * Math.Log(alpha + c.Age);
            double likelihood;
            if (x > 0)
            {
                var droppedOut = Math.Log(a) - Math.Log(b + x - 1) - (r + x) * Math.Log(alpha + c.Recency);
                var max = Math.Max(stillAlive, droppedOut);
                likelihood = max + Math.Log(Math.Exp(stillAlive - max) + Math.Exp(droppedOut - max));
            }
            else
            {
                likelihood = stillAlive;
            }
            total += gammaTerms + likelihood;
        }
        return total;
    }

    /// <summary>Maximum-likelihood fit: Nelder–Mead on the log-parameters, restarted until it stops improving.</summary>
    public static (BgNbdModel Model, double LogLikelihood) Fit(IReadOnlyList<BtydCustomer> customers)
    {
        if (customers.Count == 0)
        {
            throw new ArgumentException("The BG/NBD model needs at least one customer.", nameof(customers));
        }
        // Start with α at the customers' mean age: λ's scale then matches the unit the data comes in.
        var meanAge = Math.Max(customers.Average(c => c.Age), 1e-3);
        var n = customers.Count;
        double Objective(double[] p) =>
            p.Any(v => Math.Abs(v) > 30) ? double.PositiveInfinity
            : -LogLikelihood(customers, Math.Exp(p[0]), Math.Exp(p[1]), Math.Exp(p[2]), Math.Exp(p[3])) / n;
        var result = NelderMead.Minimize(Objective, [0, Math.Log(meanAge), 0, 0]);
        var fitted = new BgNbdModel(Math.Exp(result.Point[0]), Math.Exp(result.Point[1]), Math.Exp(result.Point[2]), Math.Exp(result.Point[3]));
        return (fitted, -result.Value * n);
    }

    /// <summary>E[X(t)]: expected repeat purchases in the first <paramref name="t"/> units after a customer's first purchase.</summary>
    public double ExpectedPurchases(double t)
    {
        if (t <= 0)
        {
            return 0;
        }
        var z = t / (Alpha + t);
        return (A + B - 1) / (A - 1) * (1 - Math.Pow(Alpha / (Alpha + t), R) * Hypergeometric2F1(R, B, A + B - 1, z));
    }

    /// <summary>
    /// E[Y(t) | x, tₓ, T]: expected purchases in the next <paramref name="t"/> units of a customer with
    /// <paramref name="frequency"/> repeats, last one at <paramref name="recency"/>, first purchase <paramref name="age"/> ago
    /// (equation (10) of the paper).
    /// </summary>
    public double ConditionalExpectedPurchases(double t, int frequency, double recency, double age)
    {
        if (t <= 0)
        {
            return 0;
        }
        double x = frequency;
        var z = t / (Alpha + age + t);
        var numerator = (A + B + x - 1) / (A - 1)
            * (1 - Math.Pow((Alpha + age) / (Alpha + age + t), R + x) * Hypergeometric2F1(R + x, B + x, A + B + x - 1, z));
        return numerator / DropOutOdds(frequency, recency, age);
    }

    /// <summary>P(alive | x, tₓ, T): a customer without repeats has never had a chance to drop out, so is alive.</summary>
    public double ProbabilityAlive(int frequency, double recency, double age) => 1 / DropOutOdds(frequency, recency, age);

    /// <summary>1 + δ(x &gt; 0) · a / (b + x − 1) · ((α + T) / (α + tₓ))^(r + x).</summary>
    private double DropOutOdds(int frequency, double recency, double age) =>
        frequency == 0 ? 1 : 1 + A / (B + frequency - 1) * Math.Pow((Alpha + age) / (Alpha + recency), R + frequency);
}
