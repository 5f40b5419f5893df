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
/// <see cref="MinSpendVariation"/> and at least <see cref="MinSpendLevels"/> distinct spend levels. A curve that explains
/// less than <see cref="MinRSquared"/> of the day-to-day variation (R² against the mean) is refused too: something
/// other than spend drove the value, and a confident-looking band would only measure the noise around a wrong curve.</para>
/// </summary>
public static class SpendResponseFitter
{
    public const int MinDaysWithSpend = 14;
    public const int MinDaysWithValue = 7;
    public const double MinSpendVariation = 0.10;
    public const int MinSpendLevels = 7;
    public const double MinRSquared = 0.1;
    public const int ResampleCount = 200;
    public const double BandLow = 0.05;
    public const double BandHigh = 0.95;

    private const int GridPoints = 80;
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
        var grid = new ProfileGrid(spend, value);

        var weights = Enumerable.Repeat(1.0, spend.Length).ToArray();
        var curve = grid.Fit(weights);
        var meanValue = value.Average();
        var total = value.Sum(v => (v - meanValue) * (v - meanValue));
        var residual = value.Select((v, i) => v - curve.Value(spend[i])).Sum(r => r * r);
        var rSquared = total > 0 ? 1 - residual / total : 0;
        if (rSquared < MinRSquared)
        {
            return new SpendResponseFit
            {
                Problem = string.Create(CultureInfo.InvariantCulture,
                    $"Spend does not explain its purchase value: the curve accounts for only {Math.Max(0, rSquared):P0} of its day-to-day variation (at least {MinRSquared:P0} is needed). Its purchases are too few a day, or something else (creatives, audiences, season) moved them more, so its marginal ROAS cannot be trusted."),
                RSquared = rSquared,
                Spread = spread,
            };
        }

        // A resample draws the days with replacement: a day drawn twice counts twice.
        var random = new Random(seed);
        var resamples = new LogSpendResponse[ResampleCount];
        for (var r = 0; r < ResampleCount; r++)
        {
            Array.Clear(weights);
            for (var i = 0; i < spend.Length; i++)
            {
                weights[random.Next(spend.Length)]++;
            }
            resamples[r] = grid.Fit(weights);
        }
        return new SpendResponseFit
        {
            Curve = curve,
            Resamples = resamples,
            RSquared = rSquared,
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
            return string.Create(inv, $"Not enough variation in daily spend to fit a curve (it varied by {spread.Variation:P1} around its mean, at least {MinSpendVariation:P0} is needed). Moving its budget up and down for a couple of weeks would show how it responds.");
        }
        if (spread.Levels < MinSpendLevels)
        {
            return string.Create(inv, $"Not enough variation in daily spend to fit a curve (only {spread.Levels} distinct spend levels, at least {MinSpendLevels} are needed).");
        }
        return null;
    }

    /// <summary>
    /// The days' least-squares profile over ln b between the bounds, with ln(1 + spend / b) computed once per grid
    /// point and day, so every resample's grid search is sums only.
    /// </summary>
    private sealed class ProfileGrid
    {
        private readonly double[] _spend;
        private readonly double[] _value;
        private readonly double _lowU;
        private readonly double _step;
        private readonly double[][] _g;

        public ProfileGrid(double[] spend, double[] value)
        {
            _spend = spend;
            _value = value;
            _lowU = Math.Log(spend.Min() * LowestB);
            _step = (Math.Log(spend.Max() * HighestB) - _lowU) / (GridPoints - 1);
            _g = new double[GridPoints][];
            for (var k = 0; k < GridPoints; k++)
            {
                var b = Math.Exp(_lowU + k * _step);
                _g[k] = spend.Select(s => Math.Log(1 + s / b)).ToArray();
            }
        }

        /// <summary>The curve minimising Σ w·(y − a·ln(1 + s/b))² with a ≥ 0 and b within the bounds.</summary>
        public LogSpendResponse Fit(double[] weights)
        {
            var best = 0;
            var bestError = double.PositiveInfinity;
            for (var k = 0; k < GridPoints; k++)
            {
                var g = _g[k];
                double yg = 0, gg = 0;
                for (var i = 0; i < g.Length; i++)
                {
                    yg += weights[i] * _value[i] * g[i];
                    gg += weights[i] * g[i] * g[i];
                }
                var error = Error(yg, gg).Error;
                if (error < bestError)
                {
                    bestError = error;
                    best = k;
                }
            }
            var u = _lowU + best * _step;
            if (best > 0 && best < GridPoints - 1)
            {
                u = GoldenSection(x => Profile(x, weights).Error, u - _step, u + _step);
            }
            return new LogSpendResponse(Profile(u, weights).A, Math.Exp(u));
        }

        private (double Error, double A) Profile(double u, double[] weights)
        {
            var b = Math.Exp(u);
            double yg = 0, gg = 0;
            for (var i = 0; i < _spend.Length; i++)
            {
                var g = Math.Log(1 + _spend[i] / b);
                yg += weights[i] * _value[i] * g;
                gg += weights[i] * g * g;
            }
            return Error(yg, gg);
        }

        /// <summary>For fixed b the best a is Σ w·y·g ÷ Σ w·g² (at least 0); the squared error is then known up to the constant Σ w·y².</summary>
        private static (double Error, double A) Error(double yg, double gg)
        {
            var a = gg > 0 ? Math.Max(0, yg / gg) : 0;
            return (a * a * gg - 2 * a * yg, a);
        }
    }

    /// <summary>The minimum of a function unimodal on [low, high] (the grid brackets it), never evaluated outside.</summary>
    private static double GoldenSection(Func<double, double> f, double low, double high)
    {
        var ratio = (Math.Sqrt(5) - 1) / 2;
        var left = high - ratio * (high - low);
        var right = low + ratio * (high - low);
        double fLeft = f(left), fRight = f(right);
        while (high - low > 1e-6)
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
