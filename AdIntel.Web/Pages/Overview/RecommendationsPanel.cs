using System.Globalization;
using AdIntel.Plugins.Abstractions;
using AdIntel.Web.Brain.Llm;
using AdIntel.Web.Brain.Recommendations;
using AdIntel.Web.Metrics;

namespace AdIntel.Web.Pages.Overview;

/// <summary>What the overview's recommendations panel (<c>_Recommendations</c>) shows.</summary>
public sealed class RecommendationsPanel
{
    /// <summary>Open recommendations listed at once; the rest wait behind "show all".</summary>
    public const int FirstShown = 6;

    /// <summary>How long a snooze lasts, in days, as the panel offers it.</summary>
    public static IReadOnlyList<int> SnoozeDays { get; } = [1, 7, 30];

    public required RecommendationBoard Board { get; init; }
    public required MetricFormatter Format { get; init; }
    public required TimeZoneInfo TimeZone { get; init; }
    public required bool CanAct { get; init; }
    public string? Message { get; init; }
    public bool MessageIsProblem { get; init; }

    /// <summary>Whether an LLM is configured to put the recommendations in plain language.</summary>
    public bool AiConfigured { get; init; }

    /// <summary>The plain-language text, once asked for (the page asks after it has shown the engine's own text).</summary>
    public NarrationResult? Narration { get; init; }

    /// <summary>The panel asks for its plain-language version once shown: an LLM may take seconds the page should not wait.</summary>
    public bool NarrationPending => AiConfigured && Narration is null && Board.Open.Count > 0;

    /// <summary>Where the text comes from ("Rewritten in plain language by AI; …", "AI not configured: …"), or null to say nothing.</summary>
    public string? NarrationNotice => Narration is { Notice.Length: > 0 } narration ? narration.Notice
        : !AiConfigured && Board.Open.Count > 0 ? NarrationResult.Deterministic([], NarrationFallback.NotConfigured).Notice
        : null;

    /// <summary>The LLM's wording of a recommendation, when it passed every check; null: show the engine's own.</summary>
    public NarratedRecommendation? Narrated(string key) => Narration?.Recommendations.FirstOrDefault(n => n.ByLlm && n.Key == key);

    /// <summary>A figure the LLM cited in a recommendation of its own, written like the engine's.</summary>
    public string Figure(NarrationFigure figure) => FigureSheet.Write(Format, new RecommendationFigure(figure.Name, figure.Value, figure.Unit, figure.Window));

    /// <summary>"Dec 7, 2026, 14:05" in the store's time zone, or null when never computed.</summary>
    public string? ComputedAt => Board.ComputedAtUtc is { } at
        ? TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(at, DateTimeKind.Utc), TimeZone).ToString("MMM d, yyyy, HH:mm", CultureInfo.InvariantCulture)
        : null;

    public string Figure(RecommendationFigure figure) => FigureSheet.Write(Format, figure);

    public string Confidence(decimal confidence) => Format.Format(MetricFormat.Percent, confidence);

    /// <summary>What sending the action asks for, in words: "pause the ad", "set the daily budget to $48.00".</summary>
    public string ActionLabel(RecommendedAction action) => action.Spec.Type switch
    {
        ActionTypes.Pause => $"pause the {action.Scope.Replace('_', ' ')}",
        ActionTypes.SetBudget when action.Spec.Amount is { } amount => $"set the daily budget to {Format.Money(amount)}",
        _ => action.Spec.Describe().ToLowerInvariant(),
    };

    /// <summary>"Waiting for approval", "Approved and executed", ...: where the action it sent stands.</summary>
    public static string ApprovalText(RecommendationApproval approval) => approval.Status switch
    {
        Domain.ActionStatuses.PendingApproval => "Waiting for approval",
        Domain.ActionStatuses.Executed => "Approved and executed",
        Domain.ActionStatuses.Rejected => "Rejected in approvals",
        Domain.ActionStatuses.Undone => "Executed, then undone",
        _ => approval.Status.Replace('_', ' '),
    };
}
