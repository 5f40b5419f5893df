using System.Text.RegularExpressions;
using AdIntel.Web.Creatives;
using AdIntel.Web.Creatives.Compliance;
using AdIntel.Web.Creatives.Scoring;

namespace AdIntel.Web.Tests.Creatives;

/// <summary>
/// The creative score against a table of good and bad ad copy: every good example outscores every bad one, every
/// sub-score explains itself with the figure it measured, and the weights add up to the whole.
/// </summary>
public sealed partial class CreativeScoreTableTests
{
    public static TheoryData<string, string?, string?> Good => new()
    {
        { "Cold feet on winter runs? Keep your toes warm all day. Shop merino socks now.", "Warm feet, every run", "Free shipping over $50" },
        { "Save 20% on your first order. Sleep better tonight with sheets that stay cool. Shop now.", "Cool sheets, deep sleep", "30-night free trial" },
        { "Your coffee, fresh every morning in 2 minutes. Order a bag today.", "Fresh coffee, no fuss", "Roasted this week" },
        { "Tired of bags that break? Get one that lasts. Shop the tote your stuff deserves.", "The tote that lasts", "Free returns" },
        { "3 minutes to a tidy desk. Keep your cables out of sight. Buy the organiser today.", "A tidy desk in minutes", "Ships in 24 hours" },
        { "Stay dry in any weather. This rain jacket keeps you dry without the sweat. Discover it now.", "Stay dry, stay cool", "Free exchanges" },
        { "New to running? Start with shoes that feel easy on your knees. Try them for 30 days.", "Run easy from day one", "30-day trial" },
        { "Love your plants? Keep them alive while you travel. Get the self-watering pot.", "Plants that water themselves", "Free shipping" },
        { "Make dinner in 15 minutes with one-pan kits. Order your first box today.", "Dinner in 15 minutes", "Cancel anytime" },
        { "Your skin, calm and soft by morning. Try the night balm and wake up fresh.", "Soft skin by morning", "Free samples" },
        { "Hot summer nights? Sleep cool with your new linen sheets. Shop the sale today.", "Sleep cool all summer", "Free returns" },
    };

    public static TheoryData<string, string?, string?> Bad => new()
    {
        { "We are a company founded in 2009 that manufactures technologically sophisticated polyester outerwear components engineered with patented multilayer fabric technology and proprietary manufacturing methodologies.", null, null },
        { "Our products. Made of aluminium. Includes specifications.", null, null },
        { "Are you diabetic? Lose 10 kg in 14 days with our miracle pill!!! GUARANTEED RESULTS", null, null },
        { "Introducing the new version of our model X200 featuring an upgraded 4000 mAh component, aluminium unibody construction, and comprehensive specifications for professional utilization.", "Model X200 specifications and technical information overview", "Includes component documentation and warranty information" },
        { "Make $5,000 a week from your phone. Passive income guaranteed.", null, null },
        { "We have been manufacturing industrial-grade polyurethane materials since 1987, prioritising operational excellence, sustainability commitments and organisational integrity across international distribution networks worldwide.", null, null },
        { "Our company offers a comprehensive portfolio of innovative solutions.", null, null },
        { "Fabric: 100% polyester. Dimensions: 40 x 30 cm. Material: nylon lining. Model number 5521.", null, null },
        { "Before and after: our cream eliminates wrinkles.", "Hate your wrinkles", null },
        { "Introducing our latest collection, featuring meticulously engineered technological innovations designed by an international team of professional designers with decades of experience in fabrication.", "Our newest collection of engineered professional apparel featuring proprietary technology", "Comprehensive documentation regarding material specifications included" },
    };

    [Fact]
    public void Every_good_example_outscores_every_bad_one()
    {
        var good = Good.Select(row => (Text: (string)row[0], Score: Score(row))).ToList();
        var bad = Bad.Select(row => (Text: (string)row[0], Score: Score(row))).ToList();
        var worstGood = good.MinBy(g => g.Score.Overall);
        var bestBad = bad.MaxBy(b => b.Score.Overall);
        Assert.True(worstGood.Score.Overall > bestBad.Score.Overall,
            $"worst good {worstGood.Score.Overall} (\"{worstGood.Text}\") vs best bad {bestBad.Score.Overall} (\"{bestBad.Text}\")");
    }

    [Theory]
    [MemberData(nameof(Good))]
    [MemberData(nameof(Bad))]
    public void Every_sub_score_is_0_to_100_and_its_reason_cites_the_figure_measured(string primary, string? headline, string? description)
    {
        var score = CreativeScorer.Score(new AdCopy(primary, headline, description), BrandProfile.Empty);

        Assert.Equal(["hook", "clarity", "call_to_action", "length", "benefit", "brand_voice", "policy_risk"], score.SubScores.Select(s => s.Key));
        foreach (var part in score.SubScores)
        {
            Assert.InRange(part.Score, 0, 100);
            Assert.Matches(Figure(), part.Reason);
        }
        var weighted = score.SubScores.Sum(s => s.Score * s.Weight);
        Assert.Equal((int)Math.Round(weighted, MidpointRounding.AwayFromZero), score.Overall);
    }

    [Fact]
    public void The_weights_sum_to_one()
    {
        var score = CreativeScorer.Score(new AdCopy("Shop now.", null, null), BrandProfile.Empty);
        Assert.Equal(1m, score.SubScores.Sum(s => s.Weight));
    }

    [Fact]
    public void Clarity_reports_the_flesch_reading_ease_and_grade_it_computed()
    {
        // "The cat sat on the mat." 6 words, 1 sentence, 6 syllables: 206.835 − 1.015 × 6 − 84.6 × 1 = 116.1, grade −1.4.
        var level = Readability.Measure("The cat sat on the mat.");
        Assert.Equal((1, 6, 6), (level.Sentences, level.Words, level.Syllables));
        Assert.Equal(116.1, level.ReadingEase, 1);

        var clarity = CreativeScorer.Score(new AdCopy("The cat sat on the mat.", null, null), BrandProfile.Empty).SubScores.Single(s => s.Key == "clarity");
        Assert.Equal(100, clarity.Score);
        Assert.Contains("Flesch reading ease 116.1", clarity.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("simple", 2)]
    [InlineData("makes", 1)]
    [InlineData("saved", 1)]
    [InlineData("comfortable", 4)]
    [InlineData("coffee", 2)]
    [InlineData("shop", 1)]
    public void Syllables_follow_the_documented_heuristic(string word, int syllables) => Assert.Equal(syllables, Readability.CountSyllables(word));

    [Fact]
    public void Words_to_avoid_lower_the_voice_score_and_products_to_feature_raise_it()
    {
        var copy = new AdCopy("Cheap merino socks that keep your feet warm. Shop now.", "Warm feet", null);
        var neutral = Voice(copy, BrandProfile.Normalized("warm", null, [], [], []));
        var avoided = Voice(copy, BrandProfile.Normalized("warm", null, [], ["cheap"], []));
        var featured = Voice(copy, BrandProfile.Normalized("warm", null, ["merino socks"], [], []));

        Assert.True(avoided.Score < neutral.Score, $"{avoided.Score} vs {neutral.Score}");
        Assert.Contains("\"cheap\"", avoided.Reason, StringComparison.Ordinal);
        Assert.True(featured.Score > neutral.Score, $"{featured.Score} vs {neutral.Score}");
        Assert.Contains("\"merino socks\"", featured.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Compliance_findings_give_policy_risk_with_the_policy_named()
    {
        var risky = CreativeScorer.Score(new AdCopy("Are you diabetic? These socks are for you. Shop now.", null, null), BrandProfile.Empty);
        var clean = CreativeScorer.Score(new AdCopy("Seamless socks for all-day comfort. Shop now.", null, null), BrandProfile.Empty);

        var policy = risky.SubScores.Single(s => s.Key == "policy_risk");
        Assert.True(policy.Score < 100);
        Assert.Contains("Personal Attributes", policy.Reason, StringComparison.Ordinal);
        Assert.Equal(AdCopyCompliance.Check(new AdCopy("Are you diabetic? These socks are for you. Shop now.", null, null)), risky.Findings);
        Assert.Equal(100, clean.SubScores.Single(s => s.Key == "policy_risk").Score);
    }

    [Fact]
    public void Over_long_fields_are_warned_about_not_refused()
    {
        var score = CreativeScorer.Score(new AdCopy(new string('a', 40) + " " + string.Join(" ", Enumerable.Repeat("Warm socks for you.", 10)),
            "A headline that runs well past what the feed shows on mobile", null), BrandProfile.Empty);
        Assert.Equal(2, score.Warnings.Count);
        Assert.True(score.SubScores.Single(s => s.Key == "length").Score < 100);
    }

    private static CreativeScore Score(object?[] row) => CreativeScorer.Score(new AdCopy((string)row[0]!, (string?)row[1], (string?)row[2]), BrandProfile.Empty);

    private static SubScore Voice(AdCopy copy, BrandProfile brand) => CreativeScorer.Score(copy, brand).SubScores.Single(s => s.Key == "brand_voice");

    [GeneratedRegex(@"\d")]
    private static partial Regex Figure();
}
