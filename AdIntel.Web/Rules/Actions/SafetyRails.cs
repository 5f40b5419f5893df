using System.Globalization;
using AdIntel.Plugins.Abstractions;
using AdIntel.Web.Domain;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Snapshots;
using AdIntel.Web.Tracking;

namespace AdIntel.Web.Rules.Actions;

public enum RailVerdict
{
    /// <summary>Run it now.</summary>
    Execute,
    /// <summary>Put it in the approval queue: automation may not run it, a person may.</summary>
    NeedsApproval,
    /// <summary>Nobody may run it now (a hard limit, a guard's veto, or a cooldown against flapping).</summary>
    Blocked,
    /// <summary>It would change nothing (already paused, budget already there).</summary>
    NoChange,
    /// <summary>A person's own change beyond the daily budget rail: applied once they confirm it.</summary>
    NeedsConfirmation,
}

/// <summary>What automation (a rule, a plugin, a script, later the AI brain) proposes to do to one entity.</summary>
public sealed record ActionProposal
{
    /// <summary>rule, plugin, script, recommendation, planner or ai.</summary>
    public required string Source { get; init; }
    public long? RuleId { get; init; }
    /// <summary>The proposing rule's risk level and automation mode (sources without a rule: high and suggestions only).</summary>
    public string RuleRisk { get; init; } = RiskLevels.High;
    public string RuleMode { get; init; } = AutomationModes.SuggestionsOnly;
    public required RuleScope Scope { get; init; }
    public required long EntityId { get; init; }
    public required RuleActionSpec Action { get; init; }
    public required EntityEvidence Evidence { get; init; }
    /// <summary>Vetoes of guard plugins against this action's type on this entity (their reasons).</summary>
    public IReadOnlyList<string> GuardVetoes { get; init; } = [];
}

/// <summary>The entity's delivery over the last 7 complete days: the evidence automation needs before acting.</summary>
public sealed record EntityEvidence(decimal Spend7d, long Impressions7d, decimal Purchases7d)
{
    public static EntityEvidence From(EntitySnapshot entity) => new(
        (decimal)(entity.Value("spend_7d") ?? 0), (long)(entity.Value("impressions_7d") ?? 0), (decimal)(entity.Value("purchases_7d") ?? 0));
}

/// <summary>The rails' answer: the verdict, a sentence saying why, the action's effective risk and the target values.</summary>
public sealed record RailDecision(RailVerdict Verdict, string Reason, string Risk, string? TargetStatus = null, decimal? TargetBudget = null);

/// <summary>
/// THE safety rails: every action from every source is decided here, and only here, before anything touches an ad
/// platform (see <see cref="ActionExecutor"/>). Pure: the same inputs always give the same decision.
/// <para>Hard limits, for everyone (approved actions included): the entity must be able to take the action
/// (an ad has no budget, an archived entity cannot be enabled); guard plugins' vetoes; and the daily budget rail — an
/// entity's daily budget never moves more than <see cref="RailSettings.MaxBudgetChangePercentPerDay"/> away from its
/// budget at the start of the store's day (bigger requests are cut to the limit).</para>
/// <para>Automation limits, for actions no person approved: the kill switch and the broken-tracking circuit breaker
/// (send everything to approval); the automation mode — the more cautious of the store's and the rule's — against the
/// action's risk (the higher of the rule's and the action's own); minimum evidence (7-day spend and impressions, and
/// purchases before spending more); at most so many automatic actions per run and per day (the rest wait for
/// approval); a cooldown after any change to the same entity (blocked, so a rule cannot flap an entity); and the
/// campaign's own automation setting (off: blocked; suggestions only: every change waits for approval).</para>
/// <para>Notify and tag change nothing on the platform: they only need the cooldown per rule, entity and type.</para>
/// </summary>
public static class SafetyRails
{
    public static RailDecision Decide(ActionProposal proposal, AdEntityState state, RailSettings settings, RailLedger ledger,
        TrackingStatus tracking, DateTime nowUtc, bool approvedByPerson, CampaignAutomationSetting campaign)
    {
        var action = proposal.Action;
        var risk = RiskLevels.Max(proposal.RuleRisk, action.IntrinsicRisk(state.DailyBudget));
        if (action.Problem(proposal.Scope) is { } problem)
        {
            // Sources other than validated rules (plugins, scripts, the AI) may propose anything: refuse what a rule could not say.
            return new(RailVerdict.Blocked, problem, RiskLevels.High);
        }

        // 1. Can the entity take the action at all, and what would it change?
        if (Target(proposal, state, risk, out var targetStatus, out var requested) is { } cannot)
        {
            return cannot;
        }
        decimal? targetBudget = null;
        if (requested is { } wanted)
        {
            var current = state.DailyBudget!.Value;
            var baseline = ledger.DayBaselineBudget(proposal.Scope, proposal.EntityId) ?? current;
            var (low, high) = BudgetBounds(baseline, settings.MaxBudgetChangePercentPerDay);
            targetBudget = Math.Clamp(wanted, low, high);
            if (targetBudget == current)
            {
                return new(RailVerdict.Blocked, Money($"Daily budget limit reached: the budget may move at most {settings.MaxBudgetChangePercentPerDay}% a day from {baseline} (today's range {low} to {high})."), risk);
            }
            // A change beyond the limit is cut to it rather than refused: its direction is still right.
        }

        // 2. Guard plugins veto for everyone.
        if (proposal.GuardVetoes.Count > 0)
        {
            return new(RailVerdict.Blocked, "Blocked by a guard: " + string.Join(" ", proposal.GuardVetoes), risk);
        }

        // 3. Informational actions run on their own, at most once per cooldown for the same rule, entity and type
        //    (a campaign with automation off takes no tags from automation; notifications still inform people).
        if (!action.ChangesPlatform)
        {
            if (campaign.Setting == CampaignAutomation.Off && action.Type == ActionTypes.Tag && !approvedByPerson)
            {
                return new(RailVerdict.Blocked, OffReason(campaign), risk);
            }
            if (ledger.LastInformational(proposal.RuleId, proposal.Scope, proposal.EntityId, action.Type) is { } last
                && nowUtc - last < TimeSpan.FromHours(settings.CooldownHours))
            {
                return new(RailVerdict.Blocked, $"Already done for this entity at {last:yyyy-MM-dd HH:mm} UTC (cooldown {settings.CooldownHours} h).", risk);
            }
            return new(RailVerdict.Execute, "Informational: changes nothing on the ad platform.", risk);
        }

        var change = targetBudget is { } t ? Money($"Budget {state.DailyBudget} → {t}.") : $"Status {state.Status} → {targetStatus}.";
        if (approvedByPerson)
        {
            return new(RailVerdict.Execute, "Approved. " + change, risk, targetStatus, targetBudget);
        }

        // 4. Automation limits.
        if (campaign.Setting == CampaignAutomation.Off)
        {
            return new(RailVerdict.Blocked, OffReason(campaign) + " " + change, risk);
        }
        if (ledger.LastPlatformChange(proposal.Scope, proposal.EntityId) is { } lastChange
            && nowUtc - lastChange < TimeSpan.FromHours(settings.CooldownHours))
        {
            return new(RailVerdict.Blocked, $"Cooldown: this entity was changed at {lastChange:yyyy-MM-dd HH:mm} UTC; automation leaves it alone for {settings.CooldownHours} h.", risk);
        }
        string? waitReason = null;
        var mode = AutomationModes.Cap(settings.StoreMode, proposal.RuleMode);
        if (settings.KillSwitch)
        {
            waitReason = "Automation is paused (kill switch).";
        }
        else if (settings.TrackingBreakerEnabled && tracking.Broken)
        {
            waitReason = "Circuit breaker: " + tracking.Explanation;
        }
        else if (campaign.Setting == CampaignAutomation.SuggestionsOnly)
        {
            waitReason = $"Suggestions only for campaign “{campaign.CampaignName}”: a person approves every change there.";
        }
        else if (!AutomationModes.AllowsAutomatic(mode, risk))
        {
            waitReason = mode == AutomationModes.SuggestionsOnly
                ? "Suggestions only: a person approves every change."
                : $"{Capitalize(risk)}-risk actions need approval under {AutomationModes.Label(mode).ToLowerInvariant()}.";
        }
        else if (EvidenceProblem(proposal, settings, targetBudget is { } tb && tb > state.DailyBudget) is { } evidence)
        {
            waitReason = evidence;
        }
        else if (ledger.AutomaticThisRun >= settings.MaxActionsPerRun)
        {
            waitReason = $"This run already made {settings.MaxActionsPerRun} automatic changes (the limit per run).";
        }
        else if (ledger.AutomaticToday >= settings.MaxActionsPerDay)
        {
            waitReason = $"The store already made {settings.MaxActionsPerDay} automatic changes today (the limit per day).";
        }
        return waitReason is null
            ? new(RailVerdict.Execute, "Automatic. " + change, risk, targetStatus, targetBudget)
            : new(RailVerdict.NeedsApproval, waitReason + " " + change, risk, targetStatus, targetBudget);
    }

    private static string OffReason(CampaignAutomationSetting campaign) =>
        $"Automation is off for campaign “{campaign.CampaignName}”: rules and recommendations leave it alone (change it by hand from its page).";

    /// <summary>
    /// A person's own change from an entity's page or the API. The automation limits do not bind a person (no mode,
    /// evidence, cooldown, guard or breaker); only what the entity cannot take is refused, and a budget beyond the daily
    /// budget rail needs <paramref name="confirmed"/>: the answer without it says why the rail exists.
    /// </summary>
    public static RailDecision DecideForPerson(ActionProposal proposal, AdEntityState state, RailSettings settings, RailLedger ledger, bool confirmed)
    {
        var action = proposal.Action;
        var risk = RiskLevels.Max(RiskLevels.Low, action.IntrinsicRisk(state.DailyBudget));
        if (action.ChangesBudget && proposal.Scope == RuleScope.Ad)
        {
            return new(RailVerdict.Blocked, "An ad has no daily budget of its own: change its ad set's or campaign's budget.", risk);
        }
        if (action.Problem(proposal.Scope) is { } problem)
        {
            return new(RailVerdict.Blocked, problem, risk);
        }
        if (!action.ChangesPlatform)
        {
            return new(RailVerdict.Blocked, "Only pause, enable and budget changes are made by hand.", risk);
        }
        if (Target(proposal, state, risk, out var targetStatus, out var requested) is { } cannot)
        {
            return cannot;
        }
        if (requested is not { } budget)
        {
            return new(RailVerdict.Execute, $"Changed by hand. Status {state.Status} → {targetStatus}.", risk, targetStatus);
        }
        if (budget <= 0)
        {
            return new(RailVerdict.Blocked, "A daily budget must be more than zero; pause the entity to stop its spend.", risk);
        }
        var current = state.DailyBudget!.Value;
        var baseline = ledger.DayBaselineBudget(proposal.Scope, proposal.EntityId) ?? current;
        var (low, high) = BudgetBounds(baseline, settings.MaxBudgetChangePercentPerDay);
        var change = Money($"Budget {current:0.00} → {budget:0.00}.");
        if (!confirmed && (budget < low || budget > high))
        {
            var percent = baseline == 0 ? 100m : Math.Round((budget - baseline) / baseline * 100m, 0, MidpointRounding.AwayFromZero);
            var sign = percent >= 0 ? "+" : "";
            return new(RailVerdict.NeedsConfirmation,
                Money($"This moves the daily budget {sign}{percent:0}% from today's {baseline}, beyond the {settings.MaxBudgetChangePercentPerDay}% a day the safety rails allow (today's range {low} to {high}).")
                + " The rail exists because a big jump sends Meta's delivery back into its learning phase and a mistyped budget spends fast. Confirm to apply it anyway.",
                risk, TargetBudget: budget);
        }
        return new(RailVerdict.Execute, "Changed by hand. " + change, risk, TargetBudget: budget);
    }

    /// <summary>
    /// Whether the entity can take the action at all (null) or the decision that it cannot or need not; the status it
    /// would get, or the budget it asks for (before any rail).
    /// </summary>
    private static RailDecision? Target(ActionProposal proposal, AdEntityState state, string risk, out string? targetStatus, out decimal? requestedBudget)
    {
        targetStatus = null;
        requestedBudget = null;
        switch (proposal.Action.Type)
        {
            case ActionTypes.Pause:
                if (!IsStatus(state.Status, EntityStatus.Active))
                {
                    return new(RailVerdict.NoChange, $"Already {state.Status.ToLowerInvariant()}.", risk);
                }
                targetStatus = EntityStatus.Paused;
                break;
            case ActionTypes.Enable:
                if (IsStatus(state.Status, EntityStatus.Active))
                {
                    return new(RailVerdict.NoChange, "Already active.", risk);
                }
                if (IsStatus(state.Status, EntityStatus.Archived))
                {
                    return new(RailVerdict.Blocked, "Archived entities cannot be enabled.", risk);
                }
                targetStatus = EntityStatus.Active;
                break;
            case ActionTypes.ScaleBudget or ActionTypes.SetBudget:
                if (state.DailyBudget is not { } current)
                {
                    return new(RailVerdict.Blocked, proposal.Scope == RuleScope.AdSet
                        ? "This ad set spends its campaign's budget (campaign budget optimisation): change the campaign's budget instead."
                        : "This entity has no daily budget of its own to change.", risk);
                }
                var requested = proposal.Action.RequestedBudget(current)!.Value;
                if (requested == current)
                {
                    return new(RailVerdict.NoChange, Money($"The budget is already {current}."), risk);
                }
                requestedBudget = requested;
                break;
        }
        return null;
    }

    /// <summary>
    /// The budgets allowed today around the day's first budget: rounded to cents towards the baseline, so rounding
    /// never takes a budget past the limit.
    /// </summary>
    public static (decimal Low, decimal High) BudgetBounds(decimal baseline, decimal maxChangePercent)
    {
        var share = maxChangePercent / 100m;
        var high = Math.Floor(baseline * (1 + share) * 100m) / 100m;
        var low = Math.Ceiling(Math.Max(0, baseline * (1 - share)) * 100m) / 100m;
        return (Math.Min(low, baseline), Math.Max(high, baseline));
    }

    private static string? EvidenceProblem(ActionProposal proposal, RailSettings settings, bool spendsMore)
    {
        var e = proposal.Evidence;
        if (e.Spend7d < settings.MinSpend)
        {
            return Money($"Not enough evidence: {e.Spend7d} spent in 7 days, automation needs {settings.MinSpend}.");
        }
        if (e.Impressions7d < settings.MinImpressions)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Not enough evidence: {e.Impressions7d:N0} impressions in 7 days, automation needs {settings.MinImpressions:N0}.");
        }
        if ((spendsMore || proposal.Action.Type == ActionTypes.Enable) && e.Purchases7d < settings.MinPurchasesForScaleUp)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Not enough evidence to spend more: {e.Purchases7d:0.#} purchases in 7 days, automation needs {settings.MinPurchasesForScaleUp}.");
        }
        return null;
    }

    private static bool IsStatus(string status, string expected) => string.Equals(status, expected, StringComparison.OrdinalIgnoreCase);

    private static string Capitalize(string word) => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word[1..];

    private static string Money(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
