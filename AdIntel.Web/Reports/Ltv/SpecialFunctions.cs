namespace AdIntel.Web.Reports.Ltv;

/// <summary>The special functions the BTYD models need: log-gamma and the Gauss hypergeometric function ₂F₁.</summary>
public static class SpecialFunctions
{
    // Lanczos approximation with g = 7 and 9 coefficients: about 15 significant digits for positive arguments.
    private const double LanczosG = 7;
    private static readonly double[] Lanczos =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    private static readonly double HalfLogTwoPi = 0.5 * Math.Log(2 * Math.PI);

    /// <summary>ln Γ(x) for x &gt; 0. Log-likelihoods use differences of these, so the error has to stay near machine precision.</summary>
    public static double LogGamma(double x)
    {
        if (!(x > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "LogGamma is defined here for positive arguments only.");
        }
        if (x < 0.5)
        {
            // Reflection: Γ(x)Γ(1 − x) = π / sin(πx); the series is accurate only for x ≥ 0.5.
            return Math.Log(Math.PI / Math.Sin(Math.PI * x)) - LogGamma(1 - x);
        }
        x -= 1;
        var sum = Lanczos[0];
        for (var i = 1; i < Lanczos.Length; i++)
        {
            sum += Lanczos[i] / (x + i);
        }
        var t = x + LanczosG + 0.5;
        return HalfLogTwoPi + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }

    /// <summary>
    /// ₂F₁(a, b; c; z) for 0 ≤ z &lt; 1 by its power series Σ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ. The BG/NBD expectations only ask
    /// for z = t / (α + T + t), which stays below 1; the terms then shrink like zⁿ, so even z = 0.99 needs only a few
    /// thousand terms. The sum stops once a term no longer changes it at double precision.
    /// </summary>
    public static double Hypergeometric2F1(double a, double b, double c, double z)
    {
        if (z is < 0 or >= 1 || double.IsNaN(z))
        {
            throw new ArgumentOutOfRangeException(nameof(z), z, "The series is used for 0 ≤ z < 1 only.");
        }
        const int MaxTerms = 1_000_000;
        var term = 1.0;
        var sum = 1.0;
        for (var n = 0; n < MaxTerms; n++)
        {
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            sum += term;
            if (Math.Abs(term) <= 1e-16 * Math.Abs(sum) && n > 2)
            {
                return sum;
            }
        }
        throw new ArithmeticException($"₂F₁({a}, {b}; {c}; {z}) did not converge in {MaxTerms} terms.");
    }
}
