using AdIntel.Web.Reports.Ltv;

namespace AdIntel.Web.Tests.Reports.Ltv;

/// <summary>
/// The BG/NBD and Gamma-Gamma fits against the published CDNOW figures (39-week calibration ending 1997-09-30, weeks):
/// Fader, Hardie &amp; Lee (2005) r = 0.243, α = 4.414, a = 0.793, b = 2.426, and E[Y(39) | x = 2, tₓ = 30.43, T = 38.86]
/// = 1.226; Fader &amp; Hardie's Gamma-Gamma note p = 6.25, q = 3.74, γ = 15.44. Each within 1%.
/// </summary>
public sealed class BtydModelTests
{
    private static readonly Lazy<IReadOnlyList<BtydCustomer>> Customers =
        new(() => BtydSummary.Build(CdnowSample.Purchases, CdnowSample.CalibrationEnd, BtydUnit.Week));

    private static void AssertWithinOnePercent(double expected, double actual, string name) =>
        Assert.True(Math.Abs(actual - expected) <= 0.01 * Math.Abs(expected), $"{name}: expected {expected} ± 1%, got {actual}");

    [Fact]
    public void Summary_of_cdnow_calibration_matches_the_published_data_set()
    {
        var customers = Customers.Value;

        Assert.Equal(2357, customers.Count);
        // 946 of the 2,357 customers made a repeat purchase in the calibration period (the paper's Table 1 data).
        Assert.Equal(946, customers.Count(c => c.Frequency > 0));
        var first = customers.Single(c => c.CustomerId == 4);
        Assert.Equal(2, first.Frequency);
        // Customer 4 is the paper's worked example: x = 2, tₓ = 30.43, T = 38.86.
        Assert.Equal(213 / 7.0, first.Recency, 10);
        Assert.Equal(272 / 7.0, first.Age, 10);
    }

    [Fact]
    public void BgNbd_fit_on_cdnow_reproduces_the_published_parameters()
    {
        var (model, logLikelihood, _) = BgNbdModel.Fit(Customers.Value);

        Assert.False(model.DropoutIsHomogeneous);
        AssertWithinOnePercent(0.243, model.R, "r");
        AssertWithinOnePercent(4.414, model.Alpha, "alpha");
        AssertWithinOnePercent(0.793, model.A, "a");
        AssertWithinOnePercent(2.426, model.B, "b");
        // The paper's maximised log-likelihood.
        AssertWithinOnePercent(-9582.4, logLikelihood, "log-likelihood");
    }

    [Fact]
    public void BgNbd_conditional_expectation_matches_the_papers_worked_example()
    {
        var model = BgNbdModel.Fit(Customers.Value).Model;

        AssertWithinOnePercent(1.226, model.ConditionalExpectedPurchases(39, 2, 30.43, 38.86), "E[Y(39) | 2, 30.43, 38.86]");
        // With the published parameters too, so the formula is checked independently of the optimiser.
        var published = new BgNbdModel(0.243, 4.414, 0.793, 2.426);
        AssertWithinOnePercent(1.226, published.ConditionalExpectedPurchases(39, 2, 30.43, 38.86), "with published parameters");
    }

    [Fact]
    public void BgNbd_log_likelihood_at_the_published_parameters_is_the_papers()
    {
        // The likelihood is evaluated in the dropout's mean and dispersion; at finite a and b it is the paper's equation (6).
        AssertWithinOnePercent(-9582.4, BgNbdModel.LogLikelihood(Customers.Value, 0.243, 4.414, 0.793, 2.426), "log-likelihood");
    }

    [Fact]
    public void BgNbd_fit_recovers_known_parameters_of_simulated_customers()
    {
        var truth = new BgNbdModel(0.25, 4.0, 0.8, 2.5);
        var customers = BtydSimulation.Customers(truth, new GammaGammaModel(6, 4, 15), 20_000, weeks: 78, seed: 42);

        var fit = BgNbdModel.Fit(customers);

        Assert.InRange(fit.Model.R, 0.25 * 0.9, 0.25 * 1.1);
        Assert.InRange(fit.Model.Alpha, 4.0 * 0.85, 4.0 * 1.15);
        Assert.InRange(fit.Model.MeanDropout, truth.MeanDropout - 0.03, truth.MeanDropout + 0.03);
        Assert.InRange(fit.Model.A, 0.8 * 0.75, 0.8 * 1.25);
        Assert.InRange(fit.Model.B, 2.5 * 0.75, 2.5 * 1.25);
        Assert.False(fit.Model.DropoutIsHomogeneous);
        Assert.Contains("differs from customer to customer", fit.Model.DropoutInWords, StringComparison.Ordinal);
    }

    /// <summary>
    /// Every customer drops out with the same chance (45%): in a and b the likelihood's maximum is at infinity, which the
    /// fit in the dropout's mean and dispersion reaches as the point ρ = 0, converging, and reporting the mean in words.
    /// </summary>
    [Fact]
    public void BgNbd_fit_at_the_homogeneous_dropout_boundary_converges_and_says_so()
    {
        var customers = BtydSimulation.Customers(new BgNbdModel(0.25, 4.0, 0.45e9, 0.55e9), new GammaGammaModel(6, 4, 15), 20_000, weeks: 78, seed: 43);

        var fit = BgNbdModel.Fit(customers);

        Assert.True(fit.Model.DropoutIsHomogeneous, $"a = {fit.Model.A}, b = {fit.Model.B}");
        Assert.InRange(fit.Model.MeanDropout, 0.42, 0.48);
        Assert.InRange(fit.Model.R, 0.25 * 0.9, 0.25 * 1.1);
        Assert.True(fit.Evaluations < 5_000, $"{fit.Evaluations} evaluations");
        Assert.Matches(@"^The chance of stopping after a purchase is about the same for every customer: 4[2-8]%\.$", fit.Model.DropoutInWords);
        // The expectations stay finite at the boundary.
        Assert.True(double.IsFinite(fit.Model.ConditionalExpectedPurchases(52, 3, 40, 60)));
        Assert.InRange(fit.Model.ProbabilityBuysWithin(52, 3, 40, 60), 0, 1);
    }

    [Fact]
    public void BgNbd_expectations_behave_like_probabilities_and_counts()
    {
        var model = new BgNbdModel(0.243, 4.414, 0.793, 2.426);

        Assert.Equal(1, model.ProbabilityAlive(0, 0, 38.86));
        // A customer who bought often but long ago is probably gone; the same frequency lately is probably alive.
        Assert.True(model.ProbabilityAlive(5, 5, 38.86) < 0.2);
        Assert.True(model.ProbabilityAlive(5, 38, 38.86) > 0.8);
        Assert.True(model.ExpectedPurchases(78) > model.ExpectedPurchases(39));
        // Buying in the next year takes being alive, and is likelier for a frequent recent buyer than for a lapsed one.
        Assert.True(model.ProbabilityBuysWithin(52, 5, 38, 38.86) <= model.ProbabilityAlive(5, 38, 38.86));
        Assert.True(model.ProbabilityBuysWithin(52, 5, 38, 38.86) > model.ProbabilityBuysWithin(52, 5, 5, 38.86));
        Assert.Equal(0, model.ExpectedPurchases(0));
    }

    [Fact]
    public void GammaGamma_fit_on_cdnow_reproduces_the_published_parameters()
    {
        var (model, _, customers) = GammaGammaModel.Fit(Customers.Value);

        Assert.Equal(946, customers);
        AssertWithinOnePercent(6.25, model.P, "p");
        AssertWithinOnePercent(3.74, model.Q, "q");
        AssertWithinOnePercent(15.44, model.V, "v");
    }

    [Fact]
    public void Special_functions_match_known_values()
    {
        Assert.Equal(Math.Log(24), SpecialFunctions.LogGamma(5), 12);
        Assert.Equal(0.5 * Math.Log(Math.PI), SpecialFunctions.LogGamma(0.5), 12);
        Assert.Equal(0.5 * Math.Log(Math.PI) - Math.Log(2), SpecialFunctions.LogGamma(1.5), 12);
        Assert.Equal(Math.Log(2.991568987687590), SpecialFunctions.LogGamma(0.3), 12);
        // ₂F₁(1, 1; 2; z) = −ln(1 − z) / z.
        Assert.Equal(-Math.Log(1 - 0.9) / 0.9, SpecialFunctions.Hypergeometric2F1(1, 1, 2, 0.9), 10);
        Assert.Equal(1, SpecialFunctions.Hypergeometric2F1(3, 4, 5, 0), 12);
    }
}
