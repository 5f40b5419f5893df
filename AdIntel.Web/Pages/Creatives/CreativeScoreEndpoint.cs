using AdIntel.Web.Creatives.Compliance;
using AdIntel.Web.Creatives.Scoring;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Pages.Settings;

namespace AdIntel.Web.Pages.Creatives;

/// <summary><c>POST /api/creatives/score</c>: the copy's score against the store's brand profile and, for a running ad, its standing in the account.</summary>
public static class CreativeScoreEndpoint
{
    public static RouteGroupBuilder MapCreativeScore(this RouteGroupBuilder creatives)
    {
        creatives.MapPost("/score", ScoreAsync).RequireAuthorization(Policies.Viewer);
        return creatives;
    }

    /// <summary>The copy to score; <c>adId</c> (optional) names a running ad of the store for its performance percentiles.</summary>
    public sealed record ScoreRequest(string? PrimaryText, string? Headline, string? Description, long? AdId);

    public sealed record ScoreView(CreativeScore Score, AdPerformanceStanding? Performance);

    private static async Task<IResult> ScoreAsync(ScoreRequest? body, StoreBrandProfile brand, AdPerformancePercentiles percentiles, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ApiResults.BadRequest("Send the copy to score: {\"primaryText\": \"…\", \"headline\": \"…\", \"description\": \"…\", \"adId\": 123 (optional)}.");
        }
        var problems = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(body.PrimaryText)) problems["primaryText"] = "is required (the hook is read from it)";
        foreach (var (field, text) in new[] { ("primaryText", body.PrimaryText), ("headline", body.Headline), ("description", body.Description) })
        {
            if (text?.Length > AdCopy.MaxFieldLength) problems[field] = $"must be at most {AdCopy.MaxFieldLength:N0} characters (it has {text.Length:N0})";
        }
        if (body.AdId is <= 0) problems["adId"] = "must be a positive ad id";
        if (problems.Count > 0)
        {
            return ApiResults.Unprocessable("invalid_copy", "The copy cannot be scored as sent.", problems);
        }
        AdPerformanceStanding? standing = null;
        if (body.AdId is { } adId && (standing = await percentiles.GetAsync(adId, cancellationToken)) is null)
        {
            return ApiResults.NotFound($"Ad {adId} of this store");
        }
        var score = CreativeScorer.Score(new AdCopy(body.PrimaryText, body.Headline, body.Description), await brand.GetAsync(cancellationToken));
        return ApiResults.Ok(new ScoreView(score, standing));
    }
}
