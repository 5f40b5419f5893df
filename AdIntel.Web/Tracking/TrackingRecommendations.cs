using AdIntel.Web.Domain;

namespace AdIntel.Web.Tracking;

/// <summary>A concrete improvement: what to do (<see cref="Title"/>) and the diagnosis it answers (<see cref="Why"/>).</summary>
public sealed record TrackingRecommendation(string Code, string Priority, string Title, string Why);

/// <summary>The improvements that follow from a diagnosis: one per current problem, most severe first, and connecting Meta when it is not.</summary>
public static class TrackingRecommendations
{
    public static IReadOnlyList<TrackingRecommendation> From(TrackingReport report)
    {
        var list = report.Problems.Where(p => p.Current)
            .Select(p => new TrackingRecommendation(p.Code, p.Severity, p.NextStep, $"{p.Title}. {p.Message}"))
            .ToList();
        if (!report.MetaConnected)
        {
            list.Add(new TrackingRecommendation("connect_meta", AlertSeverities.Medium,
                "Connect Meta in Settings → Integrations so AdIntel reads your pixel's status, deduplication and Event Match Quality.",
                "Without the connection only Meta's purchases from imports can be compared with Shopify orders."));
        }
        else if (report.Dataset is { MatchQuality: { } score } && score < 8 && !list.Any(r => r.Code == "low_match_quality"))
        {
            list.Add(new TrackingRecommendation("raise_match_quality", AlertSeverities.Low,
                "Send phone and external_id (the customer id) with every Conversions API Purchase to raise Event Match Quality further.",
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Event Match Quality is {score:0.0} out of 10: good, with room to match more purchases to people.")));
        }
        return list;
    }
}
