using AdIntel.Web.Brain.Planner;
using MathNet.Numerics.Distributions;

namespace AdIntel.Web.Tests.Brain.Planner;

/// <summary>
/// A synthetic ad entity with a known spend → value curve and 90 days of history: its budget is tested at levels
/// drawn log-uniformly between <see cref="LowLevel"/> and <see cref="HighLevel"/> times <see cref="TypicalSpend"/>, each
/// held for 5 to 10 days, delivery wobbles 4 % around the budget, and the attributed value is the true curve times
/// mean-one log-normal noise of <see cref="Noise"/> (0.1 ≈ a campaign with about a hundred purchases a day). The
/// last <see cref="SettledDays"/> days run at the typical spend, where "today" then is.
/// </summary>
public sealed record SyntheticEntity(ISpendResponse Truth, double TypicalSpend, double Noise, int Seed, double LowLevel = 0.6, double HighLevel = 1.6,
    int SettledDays = 0)
{
    public IReadOnlyList<SpendDay> Days(int count = 90)
    {
        var random = new Random(Seed);
        var start = new DateOnly(2026, 1, 1);
        var level = 1.0;
        var nextStep = 0;
        var days = new List<SpendDay>(count);
        for (var d = 0; d < count; d++)
        {
            if (d == count - SettledDays)
            {
                level = 1;
            }
            else if (d == nextStep && d < count - SettledDays)
            {
                level = Math.Exp(ContinuousUniform.Sample(random, Math.Log(LowLevel), Math.Log(HighLevel)));
                nextStep += random.Next(5, 11);
            }
            var spend = TypicalSpend * level * MeanOne(random, 0.04);
            days.Add(new SpendDay(start.AddDays(d), Math.Round(spend, 2), Math.Round(Truth.Value(spend) * MeanOne(random, Noise), 2)));
        }
        return days;
    }

    /// <summary>exp(σZ − σ²/2): log-normal noise with mean one, so the curve stays the expectation.</summary>
    private static double MeanOne(Random random, double sigma) => Math.Exp(Normal.Sample(random, 0, sigma) - sigma * sigma / 2);
}

/// <summary>A Hill curve, value = top · sᵏ ÷ (sᵏ + halfᵏ): a saturating shape the planner does not fit itself.</summary>
public sealed record HillResponse(double Top, double Half, double K) : ISpendResponse
{
    public double Value(double spend) => spend <= 0 ? 0 : Top * Math.Pow(spend, K) / (Math.Pow(spend, K) + Math.Pow(Half, K));

    public double Marginal(double spend)
    {
        var sk = Math.Pow(spend, K);
        var hk = Math.Pow(Half, K);
        return Top * K * Math.Pow(spend, K - 1) * hk / ((sk + hk) * (sk + hk));
    }
}
