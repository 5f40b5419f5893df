using AdIntel.Web.Rules.Definitions;

namespace AdIntel.Web.Brain.Recommendations;

/// <summary>What a recommendation asks for (API values).</summary>
public static class RecommendationTypes
{
    /// <summary>Spend more where profit is proven.</summary>
    public const string Scale = "scale";
    /// <summary>Stop spend that buys nothing.</summary>
    public const string Pause = "pause";
    /// <summary>Repair data the numbers rest on (tracking, product costs).</summary>
    public const string Fix = "fix";
    /// <summary>Try something new (a fresh creative).</summary>
    public const string Test = "test";
    /// <summary>Watch, and leave alone for now.</summary>
    public const string Monitor = "monitor";

    public static IReadOnlyList<string> All { get; } = [Scale, Pause, Fix, Test, Monitor];
}

/// <summary>How soon a recommendation deserves attention (API values).</summary>
public static class RecommendationPriorities
{
    public const string High = "high";
    public const string Medium = "medium";
    public const string Low = "low";

    public static int Rank(string priority) => priority switch { High => 0, Medium => 1, _ => 2 };
}

/// <summary>The unit of a figure, which decides how it is rounded and written (API values).</summary>
public static class FigureUnits
{
    /// <summary>Store currency, cents.</summary>
    public const string Money = "money";
    /// <summary>A multiple (POAS, frequency), 4 decimals.</summary>
    public const string Ratio = "ratio";
    /// <summary>A share between 0 and 1 (0.25 is 25%), 4 decimals.</summary>
    public const string Percent = "percent";
    public const string Count = "count";
    public const string Days = "days";
}

/// <summary>
/// One named number a recommendation rests on, with the window it comes from ("last 7 complete days, 2026-11-30 to
/// 2026-12-06", "your setting", "next 7 days"). Every number in a recommendation's title and reasoning is one of these.
/// </summary>
public sealed record RecommendationFigure(string Name, decimal Value, string Unit, string Window);

/// <summary>
/// What acting on the recommendation is expected to be worth, in store currency, with its range (low ≤ expected ≤ high).
/// <paramref name="Basis"/> says what the money is, e.g. "profit after ads over the next 7 days".
/// </summary>
public sealed record RecommendationImpact(decimal Expected, decimal Low, decimal High, string Basis);

/// <summary>An entity a recommendation concerns: the store itself, a campaign, an ad set or an ad.</summary>
/// <param name="Scope">store, campaign, ad_set or ad.</param>
public sealed record RecommendationEntity(string Scope, long Id, string ExternalId, string Name);

/// <summary>
/// The change a recommendation proposes. It is never executed from here: sending it puts it in the approval queue
/// (<c>Rules/Actions/ActionExecutor</c>), where a person approves it and the safety rails judge it again.
/// </summary>
/// <param name="Scope">campaign, ad_set or ad.</param>
/// <param name="Evidence">The entity's last 7 complete days, what the rails' minimum evidence reads.</param>
public sealed record RecommendedAction(string Scope, long EntityId, string EntityExternalId, string EntityName, RuleActionSpec Spec,
    RecommendedEvidence Evidence);

/// <summary>Spend, impressions and purchases of the last 7 complete days.</summary>
public sealed record RecommendedEvidence(decimal Spend7d, long Impressions7d, decimal Purchases7d);

/// <summary>
/// One recommendation of the deterministic engine. <see cref="Key"/> (type and entity) identifies it across
/// computations, so a dismissal or snooze outlives recomputation; an LLM may rewrite <see cref="Title"/> and
/// <see cref="Reasoning"/> but must keep to <see cref="Figures"/>.
/// </summary>
/// <param name="Confidence">How sure the engine is, between 0 and 1 (docs/recommendations.md says how each type computes it).</param>
public sealed record Recommendation(
    string Key,
    string Type,
    string Priority,
    string Title,
    string Reasoning,
    IReadOnlyList<RecommendationFigure> Figures,
    RecommendationImpact Impact,
    decimal Confidence,
    IReadOnlyList<RecommendationEntity> Entities,
    RecommendedAction? Action)
{
    public static string KeyOf(string type, string scope, long entityId) => $"{type}:{scope}:{entityId}";

    public RecommendationFigure? Figure(string name) => Figures.FirstOrDefault(f => f.Name == name);
}
