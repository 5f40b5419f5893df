using System.Globalization;
using MathNet.Numerics.Statistics;

namespace AdIntel.Web.Brain.Planner;

/// <summary>One day of an entity's delivery: what it spent and the purchase value the platform attributed to it.</summary>
public readonly record struct SpendDay(DateOnly Date, double Spend, double Value);

/// <summary>
/// A fitted spend → value curve with its uncertainty, or why none was fitted (<see cref="Problem"/>).
/// <see cref="Resamples"/> are the curves of the bootstrap resamples: every band is their 5th to 95th percentile.
/// </summary>
public sealed record SpendResponseFit
{
    public LogSpendResponse? Curve { get; init; }
    /// <summary>Why no curve was fitted, a sentence a person reads; null when <see cref="Curve"/> is set.</summary>
    public string? Problem { get; init; }
    public IReadOnlyList<LogSpendResponse> Resamples { get; init; } = [];
    public double RSquared { get; init; }
    public SpendSpread Spread { get; init; } = SpendSpread.None;

    public (double Low, double High) MarginalBand(double spend) => Band(c => c.Marginal(spend));

    public (double Low, double High) ValueBand(double spend) => Band(c => c.Value(spend));

    private (double Low, double High) Band(Func<LogSpendResponse, double> of)
    {
        if (Resamples.Count == 0)
        {
            return (double.NaN, double.NaN);
        }
        var sorted = Resamples.Select(of).Order().ToArray();
        return (SortedArrayStatistics.Quantile(sorted, SpendResponseFitter.BandLow), SortedArrayStatistics.Quantile(sorted, SpendResponseFitter.BandHigh));
    }
}

/// <summary>How much an entity's daily spend moved over the window: what decides whether a curve can be fitted.</summary>
/// <param name="Variation">Coefficient of variation of the daily spend (standard deviation ÷ mean).</param>
/// <param name="Levels">Distinct spend levels, counting spends within 2 % of each other as one.</param>
public sealed record SpendSpread(int Days, int DaysWithValue, double MeanSpend, double Variation, int Levels)
{
    public static SpendSpread None { get; } = new(0, 0, 0, 0, 0);

    public static SpendSpread Of(IReadOnlyList<SpendDay> days)
    {
        var spends = days.Where(d => d.Spend > 0).Select(d => d.Spend).ToArray();
        if (spends.Length == 0)
        {
            return None;
        }
        var mean = spends.Average();
        var deviation = spends.Length > 1 ? spends.StandardDeviation() : 0;
        var levels = spends.Select(s => Math.Round(Math.Log(s) / Math.Log(1.02))).Distinct().Count();
        return new(spends.Length, days.Count(d => d.Spend > 0 && d.Value > 0), mean, deviation / mean, levels);
    }
}

/// <summary>
/// Fits value = a · ln(1 + spend / b) to an entity's days by bounded least squares, and measures how sure the fit is.
/// <para><b>Fit.</b> For a fixed b the model is linear in a, so a has a closed form (Σ y·g ÷ Σ g², g = ln(1 + s/b),
/// kept at 0 or above) and the squared error depends on b alone (the profile). ln b is searched on a grid between 1 %
/// of the smallest and 100 times the largest daily spend (the bounds: below, the curve is a pure logarithm; above, a
/// straight line) and refined between the best grid point's neighbours by golden-section search. A grid before the
/// refinement finds the global minimum where a local method started at a guess could stop in a shallow valley.</para>
/// <para><b>Uncertainty.</b> A pairs bootstrap: the days are resampled with replacement <see cref="ResampleCount"/>
/// times and refitted, and any derived number (marginal ROAS at a spend, value at a spend, a move's profit) is read off
/// every resample; its band is their 5th to 95th percentile. Chosen over the delta method on the fit's covariance
/// because marginal ROAS a ÷ (b + s) is a ratio of parameters whose sampling distribution is skewed when spend varied
/// little (b is then poorly pinned down, and a normal approximation gives bands that are too narrow and symmetric), and
/// because daily attributed value is heteroscedastic (bigger days are noisier), which resampling whole days respects
/// while the textbook covariance assumes constant noise. The resamples are seeded, so the same days give the same bands.</para>
/// <para><b>Enough spread.</b> Without days at different spend levels the curvature cannot be told from noise, so the
/// fit is refused (with the reason) unless there are at least <see cref="MinDaysWithSpend"/> days with spend, purchase
/// value on <see cref="MinDaysWithValue"/> of them, a coefficient of variation of spend of at least
/// <see cref="MinSpendVariation"/> and at least <see cref="MinSpendLevels"/> distinct spend levels.</para>
/// </summary>
public static class SpendResponseFitter
{
    public const int MinDaysWithSpend = 14;
    public const int MinDaysWithValue = 7;
    public const double MinSpendVariation = 0.10;
    public const int MinSpendLevels = 7;
    public const int ResampleCount = 200;
    public const double BandLow = 0.05;
    public const double BandHigh = 0.95;

    private const int GridPoints = 40;
    private const double LowestB = 0.01;
    private const double HighestB = 100;

    public static SpendResponseFit Fit(IReadOnlyList<SpendDay> days, int seed)
    {
        var used = days.Where(d => d.Spend > 0).ToArray();
        var spread = SpendSpread.Of(used);
        if (Refusal(spread) is { } problem)
        {
            return new SpendResponseFit { Problem = problem, Spread = spread };
        }
        var spend = used.Select(d => d.Spend).ToArray();
        var value = used.Select(d => d.Value).ToArray();
        var lowU = Math.Log(spend.Min() * LowestB);
        var highU = Math.Log(spend.Max() * HighestB);

        var curve = FitOnce(spend, value, lowU, highU);
        var meanValue = value.Average();
        var total = value.Sum(v => (v - meanValue) * (v - meanValue));
        var residual = value.Select((v, i) => v - curve.Value(spend[i])).Sum(r => r * r);

        var random = new Random(seed);
        var resamples = new LogSpendResponse[ResampleCount];
        var sampleSpend = new double[spend.Length];
        var sampleValue = new double[spend.Length];
        for (var r = 0; r < ResampleCount; r++)
        {
            for (var i = 0; i < spend.Length; i++)
            {
                var pick = random.Next(spend.Length);
                sampleSpend[i] = spend[pick];
                sampleValue[i] = value[pick];
            }
            resamples[r] = FitOnce(sampleSpend, sampleValue, lowU, highU);
        }
        return new SpendResponseFit
        {
            Curve = curve,
            Resamples = resamples,
            RSquared = total > 0 ? 1 - residual / total : 0,
            Spread = spread,
        };
    }

    /// <summary>Why the days cannot carry a curve, or null when they can.</summary>
    public static string? Refusal(SpendSpread spread)
    {
        var inv = CultureInfo.InvariantCulture;
        if (spread.Days < MinDaysWithSpend)
        {
            return string.Create(inv, $"Only {spread.Days} {(spread.Days == 1 ? "day" : "days")} with spend: a curve needs at least {MinDaysWithSpend}.");
        }
        if (spread.DaysWithValue < MinDaysWithValue)
        {
            return string.Create(inv, $"Attributed purchase value on only {spread.DaysWithValue} of {spread.Days} days with spend: a curve needs at least {MinDaysWithValue}.");
        }
        if (spread.Variation < MinSpendVariation)
        {
            return string.Create(inv, $"Not enough variation in daily spend to fit a curve (it varied by {spread.Variation:P0} around its mean, at least {MinSpendVariation:P0} is needed). Moving its budget up and down for a couple of weeks would show how it responds.");
        }
        if (spread.Levels < MinSpendLevels)
        {
            return string.Create(inv, $"Not enough variation in daily spend to fit a curve (only {spread.Levels} distinct spend levels, at least {MinSpendLevels} are needed).");
        }
        return null;
    }

    /// <summary>The least-squares curve with ln b in [<paramref name="lowU"/>, <paramref name="highU"/>] and a ≥ 0.</summary>
    public static LogSpendResponse FitOnce(IReadOnlyList<double> spend, IReadOnlyList<double> value, double lowU, double highU)
    {
        // Squared error up to the constant Σ y², with a at its optimum for b = e^u.
        (double Error, double A) Profile(double u)
        {
            var b = Math.Exp(u);
            double yg = 0, gg = 0;
            for (var i = 0; i < spend.Count; i++)
            {
                var g = Math.Log(1 + spend[i] / b);
                yg += value[i] * g;
                gg += g * g;
            }
            var a = gg > 0 ? Math.Max(0, yg / gg) : 0;
            return (a * a * gg - 2 * a * yg, a);
        }

        var step = (highU - lowU) / (GridPoints - 1);
        var best = 0;
        var bestError = double.PositiveInfinity;
        for (var k = 0; k < GridPoints; k++)
        {
            var error = Profile(lowU + k * step).Error;
            if (error < bestError)
            {
                bestError = error;
                best = k;
            }
        }
        var u = lowU + best * step;
        if (best > 0 && best < GridPoints - 1)
        {
            u = GoldenSection(x => Profile(x).Error, u - step, u + step);
        }
        return new LogSpendResponse(Profile(u).A, Math.Exp(u));
    }

    /// <summary>The minimum of a function unimodal on [low, high] (the grid brackets it), never evaluated outside.</summary>
    private static double GoldenSection(Func<double, double> f, double low, double high)
    {
        var ratio = (Math.Sqrt(5) - 1) / 2;
        var left = high - ratio * (high - low);
        var right = low + ratio * (high - low);
        double fLeft = f(left), fRight = f(right);
        while (high - low > 1e-7)
        {
            if (fLeft <= fRight)
            {
                (high, right, fRight) = (right, left, fLeft);
                left = high - ratio * (high - low);
                fLeft = f(left);
            }
            else
            {
                (low, left, fLeft) = (left, right, fRight);
                right = low + ratio * (high - low);
                fRight = f(right);
            }
        }
        return (low + high) / 2;
    }
}
