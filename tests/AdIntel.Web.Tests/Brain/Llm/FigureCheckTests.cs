using AdIntel.Web.Brain.Llm;

namespace AdIntel.Web.Tests.Brain.Llm;

/// <summary>The number check that keeps the LLM to the figures it was given.</summary>
public sealed class FigureCheckTests
{
    private static readonly CheckedFigure[] Figures =
    [
        new("Spend", 1234.56m, "USD"),
        new("CTR", 0.125m, "%"),
        new("ROAS", 3.2149m, "x"),
        new("MER change", -0.1532m, "fraction"),
        new("Purchases", 48m, "count"),
    ];

    private static FigureCheck Check() => new(Figures, ["Spend over the last 7 days", "Campaign \"Summer Sale 2025\"", "from 2026-11-01"]);

    [Theory]
    [InlineData("Spend was $1,234.56 this week.")]
    [InlineData("Spend was $1,235.")]
    [InlineData("Spend reached $1.2k.")]
    [InlineData("A CTR of 12.5% is strong.")]
    [InlineData("ROAS held at 3.2x, or 3.21 to be precise.")]
    [InlineData("MER fell 15.3% and 15%.")]
    [InlineData("48 purchases in the last 7 days for Summer Sale 2025 since 2026-11-01, i.e. November 1.")]
    [InlineData("No numbers at all.")]
    public void Numbers_written_as_given_or_naturally_rounded_pass(string text) =>
        Assert.Empty(Check().Unknown(text));

    [Theory]
    [InlineData("Spend was $1,300.", "$1,300")]
    [InlineData("Spend could double to $2.5k.", "$2.5k")]
    [InlineData("ROAS would reach 4.1x.", "4.1x")]
    [InlineData("CTR is 14%.", "14%")]
    [InlineData("Cut 20% of the budget.", "20%")]
    [InlineData("Expect 9 more purchases.", "9")]
    [InlineData("Start on 2027-12-24.", "2027")]
    public void An_invented_number_is_caught(string text, string invented)
    {
        var unknown = Check().Unknown(text);

        Assert.Contains(unknown, n => n.Text == invented);
    }

    [Fact]
    public void Used_names_the_figures_a_text_states()
    {
        var used = Check().Used("ROAS was 3.2x on $1,235 of spend.");

        Assert.Equal(["ROAS", "Spend"], used.Select(f => f.Name).ToArray());
    }

    [Theory]
    [InlineData("$1,234.56", 1234.56)]
    [InlineData("1.2k", 1200)]
    [InlineData("$3.4M", 3400000)]
    [InlineData("-4.5%", -4.5)]
    [InlineData("3.2x", 3.2)]
    public void Numbers_are_read_with_their_suffix(string text, decimal expected) =>
        Assert.Equal(expected, Assert.Single(FigureCheck.Extract(text)).Value);

    [Theory]
    [InlineData("Q4 and v2 and 7d")]
    [InlineData("campaign_2025_fall")]
    public void Numbers_inside_words_are_not_figures(string text) =>
        Assert.Empty(FigureCheck.Extract(text));
}
