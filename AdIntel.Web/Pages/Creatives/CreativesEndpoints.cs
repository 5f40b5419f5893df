using AdIntel.Web.Creatives.Compliance;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;

namespace AdIntel.Web.Pages.Creatives;

/// <summary><c>/api/creatives/*</c>: checks on ad copy (more of the creatives API lands with creative intelligence).</summary>
public static class CreativesEndpoints
{
    public static RouteGroupBuilder MapCreativesEndpoints(this RouteGroupBuilder api)
    {
        var creatives = api.MapGroup("/creatives");
        creatives.MapPost("/compliance-check", CheckCompliance).RequireAuthorization(Policies.Viewer);
        creatives.MapCreativeScore();
        return api;
    }

    /// <summary>The body: the ad's fields, or <c>text</c> for a single piece of copy (checked as primary text).</summary>
    public sealed record ComplianceRequest(string? PrimaryText, string? Headline, string? Description, string? Text);

    public sealed record ComplianceView(bool Compliant, IReadOnlyList<string> CheckedFields, IReadOnlyList<ComplianceFinding> Findings);

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
