using AdIntel.Web.Rules.Execution;

namespace AdIntel.Web.Tests.Rules.Execution;

public sealed class PreparedRuleTests
{
    [Theory]
    [InlineData("a > 1 and b < 2", new[] { "a > 1", "b < 2" })]
    [InlineData("(a > 1) and (b < 2 or c)", new[] { "a > 1", "b < 2 or c" })]
    [InlineData("((a > 1 && b))", new[] { "a > 1", "b" })]
    [InlineData("a > 1 and b or c", new[] { "a > 1 and b or c" })]
    [InlineData("status == 'and' and x", new[] { "status == 'and'", "x" })]
    [InlineData("(a) or (b)", new[] { "(a) or (b)" })]
    [InlineData("brand_spend > 1 and x", new[] { "brand_spend > 1", "x" })]
    public void Top_level_and_chain_splits_into_its_operands(string text, string[] expected)
    {
        Assert.Equal(expected, PreparedRule.SplitTopLevelAnd(text));
    }
}
