using System.Globalization;
using AdIntel.Plugins.Abstractions;
using AdIntel.Web.Rules.Definitions;

namespace AdIntel.Web.Pages.Campaigns;

/// <summary>
/// A person's change to a campaign, ad set or ad, as the pages' forms and <c>PATCH /api/campaigns|adsets|ads/{id}</c>
/// send it: exactly one of a status (<c>active</c> or <c>paused</c>), a daily budget, or a budget change in percent
/// (<c>-50</c> halves it); <see cref="Confirm"/> applies a budget beyond the daily budget rail.
/// </summary>
public sealed record ManualChange(string? Status, decimal? DailyBudget, decimal? BudgetChangePercent, bool? Confirm)
{
    /// <summary>Campaigns only, on its own: the campaign's automation setting (inherit, suggestions_only or off).</summary>
    public string? Automation { get; init; }

    public const decimal MaxDailyBudget = 1_000_000m;

    /// <summary>The action it asks for, or a sentence saying what is wrong with it.</summary>
    public (RuleActionSpec? Action, string? Problem) ToAction()
    {
        var given = (Status is not null ? 1 : 0) + (DailyBudget is not null ? 1 : 0) + (BudgetChangePercent is not null ? 1 : 0);
        if (given != 1)
        {
            return (null, "Send exactly one change: status (\"active\" or \"paused\"), dailyBudget (an amount) or budgetChangePercent (-50 halves it).");
        }
        if (Status is { } status)
        {
            return status.Trim().ToLowerInvariant() switch
            {
                "paused" or "pause" => (new RuleActionSpec { Type = ActionTypes.Pause }, null),
                "active" or "enable" or "enabled" => (new RuleActionSpec { Type = ActionTypes.Enable }, null),
                _ => (null, $"Unknown status \"{status}\": use \"active\" or \"paused\"."),
            };
        }
        if (DailyBudget is { } budget)
        {
            return budget is <= 0 or > MaxDailyBudget
                ? (null, string.Create(CultureInfo.InvariantCulture, $"A daily budget is more than 0 and at most {MaxDailyBudget:N0}; pause the entity to stop its spend."))
                : (new RuleActionSpec { Type = ActionTypes.SetBudget, Amount = Math.Round(budget, 2, MidpointRounding.AwayFromZero) }, null);
        }
        var percent = BudgetChangePercent!.Value;
        return percent is 0 or < -90 or > 1000
            ? (null, "budgetChangePercent is a change between -90 and 1000 percent, not 0.")
            : (new RuleActionSpec { Type = ActionTypes.ScaleBudget, Percent = percent }, null);
    }
}
