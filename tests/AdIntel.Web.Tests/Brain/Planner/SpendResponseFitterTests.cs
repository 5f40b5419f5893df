using AdIntel.Web.Brain.Planner;

namespace AdIntel.Web.Tests.Brain.Planner;

/// <summary>
/// The curve fit on synthetic entities whose true spend → value curve is known: exact enough to recover the curve's
/// parameters when the history can tell them apart, honest about its uncertainty when it cannot, and refusing to guess
/// when spend hardly moved.
/// </summary>
public sealed class SpendResponseFitterTests
{
    /// <summary>
    /// Strongly, moderately and mildly saturated curves at different scales. Budgets were tested over a wide range (the
    /// history that lets anyone tell a from b) and the daily value carries 3 % noise: every store's a and b within 10 %.
    /// </summary>
    [Theory]
    [InlineData(600, 60, 0.7, 6)]
    [InlineData(2000, 300, 0.35, 3)]
    [InlineData(9000, 1500, 0.15, 1.3)]
    [InlineData(45000, 8000, 0.1, 1)]
    public void Fit_recovers_known_curves_within_ten_percent(double a, double b, double lowLevel, double highLevel)
    {
        var truth = new LogSpendResponse(a, b);
        for (var seed = 1; seed <= 10; seed++)
        {
            var days = new SyntheticEntity(truth, b, 0.03, seed, lowLevel, highLevel).Days();

            var fit = SpendResponseFitter.Fit(days, seed);

            Assert.Null(fit.Problem);
            Assert.True(Math.Abs(fit.Curve!.A / a - 1) <= 0.10, $"seed {seed}: a = {fit.Curve.A:F1}, true {a}");
            Assert.True(Math.Abs(fit.Curve.B / b - 1) <= 0.10, $"seed {seed}: b = {fit.Curve.B:F1}, true {b}");
            Assert.True(fit.RSquared > 0.9, $"seed {seed}: R² {fit.RSquared:F3}");
        }
    }

    /// <summary>
    /// With realistic noise (12 % a day) and ordinary budget changes (0.6× to 1.6×), a and b are not pinned down one by
    /// one, but what the planner uses is: the marginal ROAS at today's spend is close, and its 90 % band holds the
    /// truth about 90 % of the time (at least 80 % of 40 stores).
    /// </summary>
    [Theory]
    [InlineData(2000, 300, 300)]
    [InlineData(600, 60, 150)]
    [InlineData(9000, 1500, 600)]
    public void Fit_band_for_marginal_roas_holds_the_truth_at_its_stated_rate(double a, double b, double todaySpend)
    {
        var truth = new LogSpendResponse(a, b);
        var covered = 0;
        var errors = new List<double>();
        for (var seed = 1; seed <= 40; seed++)
        {
            var fit = SpendResponseFitter.Fit(new SyntheticEntity(truth, todaySpend, 0.12, seed).Days(), seed);

            var (low, high) = fit.MarginalBand(todaySpend);
            covered += truth.Marginal(todaySpend) >= low && truth.Marginal(todaySpend) <= high ? 1 : 0;
            errors.Add(Math.Abs(fit.Curve!.Marginal(todaySpend) / truth.Marginal(todaySpend) - 1));
        }

        Assert.InRange(covered, 32, 40);
        Assert.True(errors.Order().ElementAt(errors.Count / 2) < 0.10, $"median error of the marginal ROAS {errors.Order().ElementAt(errors.Count / 2):P1}");
    }

    [Fact]
    public void Fit_refuses_an_entity_whose_spend_hardly_moved()
    {
        // The same budget every day: only delivery's 4 % wobble.
        var days = new SyntheticEntity(new LogSpendResponse(2000, 300), 300, 0.12, 1, 1, 1).Days();

        var fit = SpendResponseFitter.Fit(days, 1);

        Assert.Null(fit.Curve);
        Assert.StartsWith("Not enough variation in daily spend to fit a curve", fit.Problem);
        Assert.Empty(fit.Resamples);
    }

    [Fact]
    public void Fit_refuses_when_spend_does_not_explain_the_value()
    {
        // Spend moves, but the value follows something else entirely: noise around a level of its own.
        var random = new Random(3);
        var days = new SyntheticEntity(new LogSpendResponse(2000, 300), 300, 0.05, 3).Days()
            .Select(d => d with { Value = 1200 * Math.Exp(0.3 * (random.NextDouble() - 0.5)) })
            .ToList();

        var fit = SpendResponseFitter.Fit(days, 3);

        Assert.Null(fit.Curve);
        Assert.StartsWith("Spend does not explain its purchase value", fit.Problem);
    }

    [Fact]
    public void Fit_refuses_too_few_days_and_days_without_value()
    {
        var truth = new LogSpendResponse(2000, 300);
        var fewDays = SpendResponseFitter.Fit(new SyntheticEntity(truth, 300, 0.12, 1).Days(10), 1);
        var noValue = SpendResponseFitter.Fit(new SyntheticEntity(truth, 300, 0.12, 1).Days().Select(d => d with { Value = 0 }).ToList(), 1);

        Assert.Equal("Only 10 days with spend: a curve needs at least 14.", fewDays.Problem);
        Assert.StartsWith("Attributed purchase value on only 0 of 90 days", noValue.Problem);
    }

    [Fact]
    public void Fit_is_repeatable_for_the_same_days()
    {
        var days = new SyntheticEntity(new LogSpendResponse(2000, 300), 300, 0.12, 5).Days();

        var first = SpendResponseFitter.Fit(days, 42);
        var second = SpendResponseFitter.Fit(days, 42);

        Assert.Equal(first.Curve, second.Curve);
        Assert.Equal(first.MarginalBand(300), second.MarginalBand(300));
    }
}
