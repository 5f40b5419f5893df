using System.Globalization;
using System.Text.Json.Serialization;
using static AdIntel.Web.Reports.Ltv.SpecialFunctions;

namespace AdIntel.Web.Reports.Ltv;

/// <summary>A maximum-likelihood BG/NBD fit: the model, its log-likelihood and the objective evaluations it took.</summary>
public sealed record BgNbdFit(BgNbdModel Model, double LogLikelihood, int Evaluations);

/// <summary>
/// The BG/NBD model (Fader, Hardie &amp; Lee 2005, "Counting Your Customers the Easy Way"): while alive a customer buys
/// at a Poisson rate λ ~ Gamma(r, α); after each purchase they drop out with probability p ~ Beta(a, b).
/// Time is in the unit the model was fitted in (α scales with it).
/// </summary>
/// <remarks>
/// The dropout distribution is fitted as its mean μ = a / (a + b) and its dispersion ρ = 1 / (a + b + 1) (the share of
/// the variance μ(1 − μ) it has). When every customer drops out with about the same chance, the likelihood keeps rising
/// as a and b grow together: in a and b the maximum lies at infinity, and an optimiser walks towards it until it gives up
/// (a = 1.5 million, b = 1.9 million on the demo store). In μ and ρ the same maximum is the point ρ = 0, where the
/// likelihood has a finite limit, so the fit converges to it and the result says the dropout is the same for everyone.
/// </remarks>
public sealed record BgNbdModel(double R, double Alpha, double A, double B)
{
    /// <summary>
    /// Dropout dispersion at or below which the fit counts as at its boundary: a + b of a million or more, a Beta whose
    /// standard deviation is under a thousandth of a percentage point per percent of mean, i.e. the same chance for all.
    /// </summary>
    public const double HomogeneousDispersion = 1e-6;

    /// <summary>The smallest dispersion a model is built with: a and b stay finite (10¹²) so the expectations can be evaluated.</summary>
    private const double MinimumDispersion = 1e-12;

    /// <summary>The mean chance that a customer stops buying after a purchase, a / (a + b).</summary>
    [JsonIgnore]
    public double MeanDropout => A / (A + B);

    /// <summary>ρ = 1 / (a + b + 1): 0 when every customer has the same dropout chance, towards 1 when it varies widely.</summary>
    [JsonIgnore]
    public double DropoutDispersion => 1 / (A + B + 1);

    /// <summary>Whether the fit ran to the boundary of homogeneous dropout (a, b → ∞ with a / (a + b) fixed).</summary>
    [JsonIgnore]
    public bool DropoutIsHomogeneous => DropoutDispersion <= HomogeneousDispersion;

    /// <summary>
    /// The dropout part of the model in words. At its boundary (every customer about equally likely to stop) a and b
    /// have no finite value, so only their mean is reported.
    /// </summary>
    [JsonIgnore]
    public string DropoutInWords => DropoutIsHomogeneous
        ? $"The chance of stopping after a purchase is about the same for every customer: {Percent(MeanDropout)}."
        : $"After each purchase a customer stops buying with a chance of {Percent(MeanDropout)} on average; the chance differs from customer to customer.";

    private static string Percent(double share) => share.ToString("0%", CultureInfo.InvariantCulture);

    /// <summary>The model with dropout ~ Beta of mean <paramref name="meanDropout"/> and dispersion <paramref name="dispersion"/>.</summary>
    public static BgNbdModel FromDropout(double r, double alpha, double meanDropout, double dispersion)
    {
        var concentration = (1 - dispersion) / Math.Max(dispersion, MinimumDispersion);
        return new BgNbdModel(r, alpha, meanDropout * concentration, (1 - meanDropout) * concentration);
    }

    /// <summary>Σ over customers of the log-likelihood of their (x, tₓ, T) — equation (6) of the paper, in logs.</summary>
    public static double LogLikelihood(IReadOnlyList<BtydCustomer> customers, double r, double alpha, double a, double b) =>
        LogLikelihood(CustomerGroups.Of(customers), r, alpha, a, b);

    /// <summary>The same over customers already grouped (what one evaluation of the fit costs).</summary>
    public static double LogLikelihood(CustomerGroups groups, double r, double alpha, double a, double b) =>
        LogLikelihood(groups, r, alpha, a / (a + b), 1 / (a + b + 1), (a + b) / (a + b + 1));

    /// <summary>
    /// The log-likelihood in the dropout's mean μ and dispersion ρ (1 − ρ passed separately to keep its precision):
    /// B(a, b + x) / B(a, b) = Π_{j&lt;x} (b + j) / (a + b + j) and a / (b + x − 1) are finite at ρ = 0 when written in μ and ρ.
    /// </summary>
    private static double LogLikelihood(CustomerGroups groups, double r, double alpha, double mean, double dispersion, double oneMinusDispersion)
    {
        var logAlpha = Math.Log(alpha);
        var lgR = LogGamma(r);
        var keep = (1 - mean) * oneMinusDispersion;
        var logDrop = Math.Log(mean * oneMinusDispersion);
        var total = 0.0;
        var frequencyTerms = 0.0;
        var dropTerm = 0.0;
        var currentFrequency = -1;
        var groupCount = groups.Frequency.Length;
        for (var i = 0; i < groupCount; i++)
        {
            var x = groups.Frequency[i];
            if (x != currentFrequency)
            {
                // Groups are sorted by frequency: the terms that depend on x alone are computed once per frequency.
                currentFrequency = x;
                var survival = 0.0;
                for (var j = 0; j < x; j++)
                {
                    survival += Math.Log((keep + j * dispersion) / (oneMinusDispersion + j * dispersion));
                }
                frequencyTerms = LogGamma(r + x) - lgR + r * logAlpha + survival;
                dropTerm = x > 0 ? logDrop - Math.Log(keep + (x - 1) * dispersion) : 0;
            }
            var stillAlive = -(r + x) * Math.Log(alpha + groups.Age[i]);
            double likelihood;
            if (x > 0)
            {
                var droppedOut = dropTerm - (r + x) * Math.Log(alpha + groups.Recency[i]);
                var max = Math.Max(stillAlive, droppedOut);
                likelihood = max + Math.Log(Math.Exp(stillAlive - max) + Math.Exp(droppedOut - max));
            }
            else
            {
                likelihood = stillAlive;
            }
            total += groups.Count[i] * (frequencyTerms + likelihood);
        }
        return total;
    }

    /// <summary>
    /// Maximum-likelihood fit by Nelder–Mead over (ln r, ln α, logit μ, s) with the dropout dispersion ρ = s² / (1 + s²):
    /// every point is a valid model, and the boundary ρ = 0 (homogeneous dropout) is the ordinary point s = 0.
    /// </summary>
    public static BgNbdFit Fit(IReadOnlyList<BtydCustomer> customers)
    {
        if (customers.Count == 0)
        {
            throw new ArgumentException("The BG/NBD model needs at least one customer.", nameof(customers));
        }
        var groups = CustomerGroups.Of(customers);
        // Start with α at the customers' mean age (λ's scale then matches the unit the data comes in), μ = ½ and ρ = ⅓ (a = b = 1).
        var meanAge = Math.Max(customers.Average(c => c.Age), 1e-3);
        var n = customers.Count;
        double Objective(double[] u)
        {
            if (Math.Abs(u[0]) > 30 || Math.Abs(u[1]) > 30 || Math.Abs(u[2]) > 30 || Math.Abs(u[3]) > 1e6)
            {
                return double.PositiveInfinity;
            }
            var s2 = u[3] * u[3];
            return -LogLikelihood(groups, Math.Exp(u[0]), Math.Exp(u[1]), Logistic(u[2]), s2 / (1 + s2), 1 / (1 + s2)) / n;
        }
        var result = NelderMead.Minimize(Objective, [0, Math.Log(meanAge), 0, Math.Sqrt(0.5)]);
        var u = result.Point;
        var s = u[3] * u[3];
        var model = FromDropout(Math.Exp(u[0]), Math.Exp(u[1]), Logistic(u[2]), s / (1 + s));
        return new BgNbdFit(model, -result.Value * n, result.Evaluations);
    }

    private static double Logistic(double x) => 1 / (1 + Math.Exp(-x));

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

    /// <summary>
    /// P(at least one purchase in the next <paramref name="t"/> units | x, tₓ, T): alive (dropout happens only after a
    /// purchase, so an alive customer stays so until the next one) × at least one Poisson purchase, with λ's posterior
    /// Gamma(r + x, α + T): P(alive) · (1 − ((α + T) / (α + T + t))^(r + x)).
    /// </summary>
    public double ProbabilityBuysWithin(double t, int frequency, double recency, double age) =>
        t <= 0 ? 0 : ProbabilityAlive(frequency, recency, age) * (1 - Math.Pow((Alpha + age) / (Alpha + age + t), R + frequency));

    /// <summary>1 + δ(x &gt; 0) · a / (b + x − 1) · ((α + T) / (α + tₓ))^(r + x).</summary>
    private double DropOutOdds(int frequency, double recency, double age) =>
        frequency == 0 ? 1 : 1 + A / (B + frequency - 1) * Math.Pow((Alpha + age) / (Alpha + recency), R + frequency);
}

/// <summary>
/// Customers with the same (x, tₓ, T) counted once with their number: the likelihood's cost then follows the distinct
/// histories (a few thousand on a store whose days are the unit's sevenths) rather than the customers. Sorted by x.
/// </summary>
public sealed class CustomerGroups
{
    public required int[] Frequency { get; init; }
    public required double[] Recency { get; init; }
    public required double[] Age { get; init; }
    public required double[] Count { get; init; }

    public static CustomerGroups Of(IReadOnlyList<BtydCustomer> customers)
    {
        var groups = customers.GroupBy(c => (c.Frequency, c.Frequency == 0 ? 0 : c.Recency, c.Age))
            .Select(g => (Key: g.Key, Count: g.Count()))
            .OrderBy(g => g.Key.Frequency).ThenBy(g => g.Key.Age).ThenBy(g => g.Key.Item2)
            .ToList();
        return new CustomerGroups
        {
            Frequency = groups.Select(g => g.Key.Frequency).ToArray(),
            Recency = groups.Select(g => g.Key.Item2).ToArray(),
            Age = groups.Select(g => g.Key.Age).ToArray(),
            Count = groups.Select(g => (double)g.Count).ToArray(),
        };
    }
}
