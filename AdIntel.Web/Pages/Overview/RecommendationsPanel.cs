using System.Globalization;
using AdIntel.Plugins.Abstractions;
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
