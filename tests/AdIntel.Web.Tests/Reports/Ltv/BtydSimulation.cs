using AdIntel.Web.Reports.Ltv;

namespace AdIntel.Web.Tests.Reports.Ltv;

/// <summary>
/// Customers simulated from known BG/NBD and Gamma-Gamma parameters: each starts at a random time in the first 12 weeks
/// and then buys at λ ~ Gamma(r, α), dropping out after each purchase with p ~ Beta(a, b); each customer's transaction
/// values are Gamma(p, ν) with ν ~ Gamma(q, γ).
/// </summary>
internal static class BtydSimulation
{
    public static List<BtydCustomer> Customers(BgNbdModel model, GammaGammaModel spend, int count, double weeks, int seed)
    {
        var random = new Random(seed);
        var result = new List<BtydCustomer>(count);
        for (var id = 0; id < count; id++)
        {
            var age = weeks - random.NextDouble() * 12;
            var lambda = Gamma(random, model.R, 1 / model.Alpha);
            var x = Gamma(random, model.A, 1);
            var dropout = x / (x + Gamma(random, model.B, 1));
            var nu = Gamma(random, spend.Q, 1 / spend.V);
            double t = 0, last = 0, total = 0;
            var frequency = 0;
            while (true)
            {
                t += -Math.Log(1 - random.NextDouble()) / lambda;
                if (t > age)
                {
                    break;
                }
                frequency++;
                last = t;
                total += Gamma(random, spend.P, 1 / nu);
                if (random.NextDouble() < dropout)
                {
                    break;
                }
            }
            result.Add(new BtydCustomer(id, frequency, last, age, frequency == 0 ? null : total / frequency));
        }
        return result;
    }

    /// <summary>Marsaglia–Tsang (shape k, scale θ), with the k &lt; 1 boost.</summary>
    private static double Gamma(Random random, double shape, double scale)
    {
        if (shape < 1)
        {
            return Gamma(random, shape + 1, scale) * Math.Pow(random.NextDouble(), 1 / shape);
        }
        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double z, v;
            do
            {
                z = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                v = 1 + c * z;
            }
            while (v <= 0);
            v = v * v * v;
            if (Math.Log(random.NextDouble()) < 0.5 * z * z + d - d * v + d * Math.Log(v))
            {
                return d * v * scale;
            }
        }
    }
}
