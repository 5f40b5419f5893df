using AdIntel.Web.Creatives.Compliance;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Creatives;

/// <summary><c>/api/creatives/*</c>: checks on ad copy and the thumbnails the app draws for its ads' creatives.</summary>
public static class CreativesEndpoints
{
    public static RouteGroupBuilder MapCreativesEndpoints(this RouteGroupBuilder api)
    {
        var creatives = api.MapGroup("/creatives");
        creatives.MapPost("/compliance-check", CheckCompliance).RequireAuthorization(Policies.Viewer);
        creatives.MapGet("/{adId:long}/thumbnail.svg", Thumbnail).RequireAuthorization(Policies.Viewer);
        creatives.MapCreativeScore();
        creatives.MapCreativeTrends();
        return api;
    }

    /// <summary>The body: the ad's fields, or <c>text</c> for a single piece of copy (checked as primary text).</summary>
    public sealed record ComplianceRequest(string? PrimaryText, string? Headline, string? Description, string? Text);

    public sealed record ComplianceView(bool Compliant, IReadOnlyList<string> CheckedFields, IReadOnlyList<ComplianceFinding> Findings);

    /// <summary>The ad's thumbnail, drawn here (no fetch), for an ad of the signed-in store; 404 for any other.</summary>
    private static async Task<IResult> Thumbnail(long adId, AdIntelDbContext db, HttpContext context, CancellationToken cancellationToken)
    {
        // It names the store's ad: the browser may keep it a while, shared caches never.
        context.Response.Headers.CacheControl = "private, max-age=3600";
        var ad = await db.Ads.AsNoTracking().Where(a => a.Id == adId)
            .Select(a => new { a.Name, Creative = db.AdCreatives.FirstOrDefault(c => c.AdId == a.Id) })
            .SingleOrDefaultAsync(cancellationToken);
        return ad is null
            ? ApiResults.NotFound("The ad")
            : Results.Text(CreativeThumbnail.Render(ad.Name, ad.Creative), "image/svg+xml");
    }

    private static IResult CheckCompliance(ComplianceRequest? body)
    {
        var copy = new AdCopy(body?.PrimaryText ?? body?.Text, body?.Headline, body?.Description);
        var fields = copy.Fields().ToList();
        if (fields.Count == 0)
        {
            return ApiResults.BadRequest("Send the copy to check: {\"primaryText\": \"…\", \"headline\": \"…\", \"description\": \"…\"} (or {\"text\": \"…\"}).");
        }
        if (fields.FirstOrDefault(f => f.Text.Length > AdCopy.MaxFieldLength) is { Field: { } tooLong })
        {
            return ApiResults.Unprocessable("text_too_long", $"{tooLong} is limited to {AdCopy.MaxFieldLength:N0} characters.");
        }
        var findings = AdCopyCompliance.Check(copy);
        return ApiResults.Ok(new ComplianceView(findings.Count == 0, [.. fields.Select(f => f.Field)], findings));
    }
}
