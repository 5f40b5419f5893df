using System.Globalization;
using System.Security.Claims;
using System.Text;
using AdIntel.Web.Creatives;
using AdIntel.Web.Creatives.Compliance;
using AdIntel.Web.Creatives.Generation;
using AdIntel.Web.Creatives.Scoring;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Csv;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Pages.Settings;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Creatives;

/// <summary>
/// <c>/api/creatives/variants</c> and <c>/api/creatives/generate</c>: the ads' own creatives and the store's saved
/// variants in one list, generating variants (scored and checked, not saved), saving, editing and deleting them, and the
/// saved variants as a CSV for Ads Manager's bulk import.
/// </summary>
public static class VariantsEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxExportNameLength = 200;

    /// <summary>The columns of Ads Manager's import and export sheet that the export fills, in its order.</summary>
    public static readonly IReadOnlyList<string> ExportColumns =
        ["Campaign Name", "Ad Set Name", "Ad Name", "Ad Status", "Title", "Body", "Link Description", "Link", "Call to Action"];

    public static RouteGroupBuilder MapVariantsEndpoints(this RouteGroupBuilder api)
    {
        var creatives = api.MapGroup("/creatives");
        creatives.MapGet("/variants", ListAsync).RequireAuthorization(Policies.Viewer);
        creatives.MapGet("/variants/export.csv", ExportAsync).RequireAuthorization(Policies.Viewer);
        creatives.MapPost("/variants", CreateAsync).RequireAuthorization(Policies.Marketer);
        creatives.MapPut("/variants/{id:long}", UpdateAsync).RequireAuthorization(Policies.Marketer);
        creatives.MapDelete("/variants/{id:long}", DeleteAsync).RequireAuthorization(Policies.Marketer);
        creatives.MapPost("/generate", GenerateAsync).RequireAuthorization(Policies.Marketer);
        return api;
    }

    public sealed record GenerateBody(string? Product, string? Angle, string? Format, int? Count, string? Link);

    /// <summary>
    /// One creative of the list: a saved variant (<c>id</c>) or an ad's own creative (<c>adId</c>, origin <c>synced</c>),
    /// with the score and policy findings of its copy.
    /// </summary>
    public sealed record VariantView(string Key, long? Id, long? AdId, string? AdName, string Origin, string? Product, string? Angle, string Format,
        string? PrimaryText, string? Headline, string? Description, string? CallToAction, string? Link, int Score, int PolicyFindings, bool Compliant,
        string ComplianceSummary, string? CreatedBy, string? UpdatedBy, DateTime? CreatedAt, DateTime UpdatedAt)
    {
        public static VariantView From(CreativeVariant v) => new("variant:" + v.Id.ToString(CultureInfo.InvariantCulture), v.Id, null, null, v.Origin,
            v.Product, v.Angle, v.Format, v.PrimaryText, v.Headline, v.Description, v.CallToAction, v.Link, v.Score, v.PolicyFindings, v.PolicyFindings == 0,
            v.ComplianceSummary, v.CreatedBy, v.UpdatedBy, v.CreatedAtUtc, v.UpdatedAtUtc);

        public static VariantView From(AdCreative c, string? adName, BrandProfile brand)
        {
            var score = CreativeScorer.Score(new AdCopy(c.PrimaryText, c.Headline, c.Description), brand);
            return new("ad:" + c.AdId.ToString(CultureInfo.InvariantCulture), null, c.AdId, adName, CreativeVariantOrigins.Synced, null, null, c.Format,
                c.PrimaryText, c.Headline, c.Description, c.CallToAction, c.Link, score.Overall, score.Findings.Count, score.Findings.Count == 0,
                CreativeVariantWriter.Summary(score.Findings), null, null, null, c.UpdatedAtUtc);
        }
    }

    private static async Task<IResult> ListAsync(string? origin, string? cursor, int? limit, AdIntelDbContext db, StoreBrandProfile brand, CancellationToken cancellationToken)
    {
        var chosen = string.IsNullOrWhiteSpace(origin) ? null : origin.Trim().ToLowerInvariant();
        if (chosen is not null && !CreativeVariantOrigins.All.Contains(chosen))
        {
            return ApiResults.BadRequest($"Unknown origin \"{origin}\"; use one of {string.Join(", ", CreativeVariantOrigins.All)}.");
        }
        if (limit is < 1 or > MaxPageSize)
        {
            return ApiResults.BadRequest($"limit must be from 1 to {MaxPageSize}.");
        }
        var size = limit ?? DefaultPageSize;
        // Saved variants come first, newest first, then the ads' creatives: a cursor says which part and where ("v…" or "a…").
        long? variantsBefore = null, adsBefore = null;
        var inVariants = chosen != CreativeVariantOrigins.Synced;
        if (cursor is not null)
        {
            if (cursor.Length < 2 || cursor[0] is not ('v' or 'a')
                || !long.TryParse(cursor.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var position))
            {
                return ApiResults.BadRequest("The cursor is not one this API gave out: use page.next of the previous page.");
            }
            if (cursor[0] == 'v')
            {
                variantsBefore = position;
            }
            else
            {
                inVariants = false;
                adsBefore = position;
            }
        }
        var views = new List<VariantView>();
        var last = new List<string>();
        if (inVariants)
        {
            var query = db.CreativeVariants.AsNoTracking();
            if (chosen is not null)
            {
                query = query.Where(v => v.Origin == chosen);
            }
            if (variantsBefore is { } before)
            {
                query = query.Where(v => v.Id < before);
            }
            foreach (var variant in await query.OrderByDescending(v => v.Id).Take(size + 1).ToListAsync(cancellationToken))
            {
                views.Add(VariantView.From(variant));
                last.Add("v" + variant.Id.ToString(CultureInfo.InvariantCulture));
            }
        }
        if (views.Count <= size && (chosen is null || chosen == CreativeVariantOrigins.Synced))
        {
            var profile = await brand.GetAsync(cancellationToken);
            var query = db.AdCreatives.AsNoTracking();
            if (adsBefore is { } before)
            {
                query = query.Where(c => c.Id < before);
            }
            var rows = await query.OrderByDescending(c => c.Id).Take(size + 1 - views.Count)
                .Select(c => new { Creative = c, AdName = db.Ads.Where(a => a.Id == c.AdId).Select(a => a.Name).FirstOrDefault() })
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                views.Add(VariantView.From(row.Creative, row.AdName, profile));
                last.Add("a" + row.Creative.Id.ToString(CultureInfo.InvariantCulture));
            }
        }
        var next = views.Count > size ? last[size - 1] : null;
        return ApiResults.List([.. views.Take(size)], next);
    }

    private static async Task<IResult> GenerateAsync(GenerateBody? body, VariantGenerator generator, StoreBrandProfile brand, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ApiResults.BadRequest("Send what to write: {\"product\": \"…\", \"angle\": \"benefit\", \"format\": \"image\", \"count\": 3}.");
        }
        var (request, problems) = GenerationRequest.Validate(body.Product, body.Angle, body.Format, body.Count, body.Link);
        if (request is null)
        {
            return ApiResults.Unprocessable("invalid_generation", "The variants cannot be written as asked: " + Sentence(problems), problems);
        }
        return ApiResults.Ok(await generator.GenerateAsync(request, await brand.GetAsync(cancellationToken), cancellationToken));
    }

    private static async Task<IResult> CreateAsync(VariantInput? body, CreativeVariantWriter writer, StoreBrandProfile brand, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ApiResults.BadRequest("Send the variant: {\"product\": \"…\", \"primaryText\": \"…\", \"headline\": \"…\", \"description\": \"…\", \"callToAction\": \"SHOP_NOW\"}.");
        }
        var result = await writer.CreateAsync(body, await brand.GetAsync(cancellationToken), user.GetActor(), cancellationToken);
        if (result.Variant is null)
        {
            return Refused(result);
        }
        return Results.Json(new ApiResults.DataEnvelope<VariantView>(VariantView.From(result.Variant)), statusCode: StatusCodes.Status201Created);
    }

    private static async Task<IResult> UpdateAsync(long id, VariantInput? body, CreativeVariantWriter writer, StoreBrandProfile brand, ClaimsPrincipal user,
        CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ApiResults.BadRequest("Send the variant's new copy: {\"product\": \"…\", \"primaryText\": \"…\", …}.");
        }
        var result = await writer.UpdateAsync(id, body, await brand.GetAsync(cancellationToken), user.GetActor(), cancellationToken);
        return result.Variant is null ? Refused(result) : ApiResults.Ok(VariantView.From(result.Variant));
    }

    private static async Task<IResult> DeleteAsync(long id, CreativeVariantWriter writer, CancellationToken cancellationToken) =>
        await writer.DeleteAsync(id, cancellationToken) ? Results.NoContent() : ApiResults.NotFound("The variant");

    /// <summary>
    /// The saved variants (or those of one origin) as Ads Manager's import sheet: one paused ad a row, named after its
    /// product, angle and id; the campaign and ad set as given (Ads Manager needs both before it imports).
    /// </summary>
    private static async Task<IResult> ExportAsync(string? origin, string? campaign, string? adSet, AdIntelDbContext db, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var chosen = string.IsNullOrWhiteSpace(origin) ? null : origin.Trim().ToLowerInvariant();
        if (chosen is not null && !CreativeVariantOrigins.Stored.Contains(chosen))
        {
            return ApiResults.BadRequest($"Unknown origin \"{origin}\"; the export holds saved variants: {string.Join(", ", CreativeVariantOrigins.Stored)}.");
        }
        if (campaign?.Length > MaxExportNameLength || adSet?.Length > MaxExportNameLength)
        {
            return ApiResults.BadRequest($"campaign and adSet are at most {MaxExportNameLength} characters.");
        }
        var query = db.CreativeVariants.AsNoTracking();
        if (chosen is not null)
        {
            query = query.Where(v => v.Origin == chosen);
        }
        var variants = await query.OrderBy(v => v.Id).ToListAsync(cancellationToken);
        var csv = new StringBuilder();
        csv.Append(string.Join(',', ExportColumns.Select(CsvFields.Text))).Append("\r\n");
        foreach (var v in variants)
        {
            string[] row =
            [
                campaign?.Trim() ?? "", adSet?.Trim() ?? "", AdName(v), "PAUSED", v.Headline ?? "", v.PrimaryText, v.Description ?? "", v.Link ?? "", v.CallToAction,
            ];
            csv.Append(string.Join(',', row.Select(CsvFields.Text))).Append("\r\n");
        }
        var day = time.GetUtcNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return Results.File(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"adintel-variants-{day}.csv");
    }

    /// <summary>"Merino socks – Benefit – 12": unique, and readable in Ads Manager.</summary>
    public static string AdName(CreativeVariant v)
    {
        var name = $"{v.Product} – {(v.Angle is null ? "Own copy" : CreativeAngles.Label(v.Angle))} – {v.Id.ToString(CultureInfo.InvariantCulture)}";
        return name.Length <= 200 ? name : v.Product[..150] + " – " + v.Id.ToString(CultureInfo.InvariantCulture);
    }

    private static IResult Refused(VariantWriteResult result) =>
        result.NotFound ? ApiResults.NotFound("The variant")
        : result.Refusal is { } refusal ? ApiResults.Unprocessable("too_many_variants", refusal)
        : ApiResults.Unprocessable("invalid_variant", "The variant cannot be saved as sent: " + Sentence(result.Problems), result.Problems);

    private static string Sentence(IReadOnlyDictionary<string, string> problems) => string.Join("; ", problems.Select(p => $"{p.Key} {p.Value}")) + ".";
}
