using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Expressions;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Tests.Rules.Definitions;

public sealed class RuleDefinitionTests
{
    private static readonly RuleExpressionCompiler Compiler = RuleExpressionCompiler.Default;

    private static RuleDefinition Valid => new()
    {
        Name = "Stop-loss",
        Scope = "ad_set",
        Expression = "spend_7d > 50 and purchases_7d == 0",
        Actions = [new RuleActionSpec { Type = "pause" }],
    };

    [Fact]
    public void Valid_definition_gets_the_defaults()
    {
        var validation = Valid.Validate(Compiler);
        Assert.True(validation.IsValid, validation.Message);
        var rule = new Domain.Rule { Name = "", Expression = "" };
        Valid.ApplyTo(rule);
        Assert.Equal(RiskLevels.Medium, rule.RiskLevel);
        Assert.Equal(AutomationModes.SuggestionsOnly, rule.AutomationMode);
        Assert.Equal(RuleSchedule.Default, RuleJson.Schedule(rule));
        Assert.True(rule.Active);
        Assert.Equal(RuleDefinition.From(rule) with { RiskLevel = null, AutomationMode = null, Schedule = null, Active = null, Filter = null, Actions = null, Kind = null },
            Valid with { Actions = null });
    }

    public static TheoryData<RuleDefinition, string, string> InvalidFields => new()
    {
        { Valid with { Name = " " }, "name", "name" },
        { Valid with { Scope = "adset" }, "scope", "ad_set" },
        { Valid with { Actions = [] }, "actions", "at least one action" },
        { Valid with { Actions = [new RuleActionSpec { Type = "delete" }] }, "actions[0]", "Unknown action type" },
        { Valid with { Scope = "ad", Actions = [new RuleActionSpec { Type = "scale_budget", Percent = 10 }] }, "actions[0]", "ads have no budget" },
        { Valid with { Scope = "account", Actions = [new RuleActionSpec { Type = "pause" }] }, "actions[0]", "account" },
        { Valid with { Actions = [new RuleActionSpec { Type = "scale_budget" }] }, "actions[0]", "either percent" },
        { Valid with { Actions = [new RuleActionSpec { Type = "scale_budget", Percent = 150 }] }, "actions[0]", "between -90 and 100" },
        { Valid with { Actions = [new RuleActionSpec { Type = "scale_budget", Percent = 10, Min = 50, Max = 20 }] }, "actions[0]", "min must not be above max" },
        { Valid with { Actions = [new RuleActionSpec { Type = "set_budget" }] }, "actions[0]", "amount" },
        { Valid with { Actions = [new RuleActionSpec { Type = "tag", Tag = "<script>" }] }, "actions[0]", "tag" },
        { Valid with { RiskLevel = "extreme" }, "riskLevel", "low, medium or high" },
        { Valid with { AutomationMode = "yolo" }, "automationMode", "suggestions_only" },
        { Valid with { Schedule = new RuleSchedule { EveryMinutes = 5 } }, "schedule", "15, 30 or 60" },
        { Valid with { Schedule = new RuleSchedule { DailyAt = "25:00" } }, "schedule", "HH:mm" },
        { Valid with { Filter = new RuleFilter { Statuses = ["RUNNING"] } }, "filter", "RUNNING" },
    };

    [Theory]
    [MemberData(nameof(InvalidFields))]
    public void Invalid_field_is_named_with_a_sentence(RuleDefinition definition, string field, string expected)
    {
        var validation = definition.Validate(Compiler);
        Assert.False(validation.IsValid);
        Assert.True(validation.Fields.ContainsKey(field), string.Join(", ", validation.Fields.Keys));
        Assert.Contains(expected, validation.Fields[field], StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("roas7d > 2", "unknown_variable", "roas_7d", 1)]
    [InlineData("spend_7d > 50 and purchses_7d == 0", "unknown_variable", "purchases_7d", 19)]
    [InlineData("spend_7d +", "syntax_error", null, null)]
    [InlineData("spend_7d * 2", "not_a_condition", null, null)]
    [InlineData("", "empty_expression", null, null)]
    public void Invalid_expression_is_reported_with_position_and_suggestion(string expression, string code, string? suggestion, int? column)
    {
        var validation = (Valid with { Expression = expression }).Validate(Compiler);
        Assert.False(validation.IsValid);
        var error = validation.Expression.Errors[0];
        Assert.Equal(code, error.Code);
        Assert.Equal(suggestion, error.Suggestion);
        if (column is { } c)
        {
            Assert.Equal(c, error.Position!.Column);
            Assert.Contains($"Did you mean {suggestion}?", validation.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Expression_over_the_length_limit_is_refused()
    {
        var longExpression = string.Join(" and ", Enumerable.Repeat("spend_7d > 1", 100));
        var validation = (Valid with { Expression = longExpression }).Validate(Compiler);
        Assert.Equal(RuleExpressionErrorCodes.TooLong, validation.Expression.Errors[0].Code);
    }

    [Fact]
    public void Every_preset_is_a_valid_rule_and_there_are_at_least_twelve()
    {
        Assert.True(RulePresets.All.Count >= 12);
        Assert.Equal(RulePresets.All.Count, RulePresets.All.Select(p => p.Key).Distinct().Count());
        foreach (var preset in RulePresets.All)
        {
            var validation = preset.Rule.Validate(Compiler);
            Assert.True(validation.IsValid, $"{preset.Key}: {validation.Message}");
            Compiler.CompileCondition(preset.Rule.Expression);
            Assert.Equal(AutomationModes.SuggestionsOnly, preset.Rule.AutomationMode);
        }
    }

    [Fact]
    public void Presets_cover_the_named_templates()
    {
        string[] required = ["stop-loss", "scale-winners", "creative-fatigue", "cpa-guard", "roas-floor", "low-ctr", "learning-protection",
            "budget-pacing", "frequency-cap", "poas-floor", "nc-roas-scale", "zero-purchase-guard"];
        Assert.All(required, key => Assert.NotNull(RulePresets.Find(key)));
    }
}

public sealed class RuleScheduleTests
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Theory]
    [InlineData(15, "2026-03-10T14:07:00Z", "2026-03-10T14:00:00Z")]
    [InlineData(15, "2026-03-10T14:29:59Z", "2026-03-10T14:15:00Z")]
    [InlineData(30, "2026-03-10T14:45:00Z", "2026-03-10T14:30:00Z")]
    [InlineData(60, "2026-03-10T14:59:00Z", "2026-03-10T14:00:00Z")]
    public void Interval_slot_is_the_last_quarter_half_or_hour(int minutes, string now, string expected)
    {
        var slot = new RuleSchedule { EveryMinutes = minutes }.SlotStartUtc(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), NewYork);
        Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal), slot);
    }

    [Theory]
    // 08:00 in New York on 10 March 2026 (EDT, UTC−4) is 12:00 UTC.
    [InlineData("2026-03-10T13:00:00Z", "2026-03-10T12:00:00Z")]
    // Before today's 08:00 local: yesterday's slot (9 March is EDT too, after the 8 March switch).
    [InlineData("2026-03-10T11:59:00Z", "2026-03-09T12:00:00Z")]
    public void Daily_slot_is_the_last_occurrence_of_the_local_time(string now, string expected)
    {
        var slot = new RuleSchedule { DailyAt = "08:00" }.SlotStartUtc(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), NewYork);
        Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal), slot);
    }

    [Fact]
    public void Filter_keeps_entities_by_name_status_and_parent()
    {
        var filter = new RuleFilter { NameContains = "prospect", Statuses = ["active"] };
        Assert.Null(filter.Problem(RuleScope.AdSet));
        Assert.NotNull(new RuleFilter { AdSetIds = [1] }.Problem(RuleScope.Campaign));
    }
}
