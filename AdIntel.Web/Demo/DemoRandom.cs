namespace AdIntel.Web.Demo;

/// <summary>
/// Distributions the demo generator draws from. All of them consume a caller-owned <see cref="Random"/> created from
/// the demo seed, so the same seed always yields the same sequence (Random(int) is stable across .NET versions).
/// </summary>
internal static class DemoRandom
{
    public static double Between(this Random random, double min, double max) => min + random.NextDouble() * (max - min);

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    public static T Pick<T>(this Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>Standard normal draw (Box–Muller).</summary>
    public static double Normal(this Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    /// <summary>A positive multiplier around 1 (median 1) with the given log-scale spread.</summary>
    public static double Jitter(this Random random, double sigma) => Math.Exp(sigma * random.Normal());

    public static double LogNormal(this Random random, double median, double sigma) => median * random.Jitter(sigma);

    public static int Poisson(this Random random, double lambda)
    {
        if (lambda <= 0)
        {
            return 0;
        }
        if (lambda > 40)
        {
            // Normal approximation: exact enough for daily order counts and far cheaper.
            return Math.Max(0, (int)Math.Round(lambda + Math.Sqrt(lambda) * random.Normal()));
        }
        var limit = Math.Exp(-lambda);
        var count = 0;
        var product = random.NextDouble();
        while (product > limit)
        {
            count++;
            product *= random.NextDouble();
        }
        return count;
    }

    /// <summary>Rounds a non-negative amount up or down with the probability of its fraction, so sums stay unbiased.</summary>
    public static int RoundStochastic(this Random random, double value)
    {
        var floor = Math.Floor(value);
        return (int)floor + (random.NextDouble() < value - floor ? 1 : 0);
    }

    /// <summary>Index drawn with probability proportional to the weights behind <paramref name="cumulative"/>.</summary>
    public static int PickCumulative(this Random random, double[] cumulative)
    {
        var target = random.NextDouble() * cumulative[^1];
        var index = Array.BinarySearch(cumulative, target);
        index = index < 0 ? ~index : index + 1;
        return Math.Min(index, cumulative.Length - 1);
    }

    public static double[] Cumulative(IEnumerable<double> weights)
    {
        var result = weights.ToArray();
        for (var i = 1; i < result.Length; i++)
        {
            result[i] += result[i - 1];
        }
        return result;
    }
}
