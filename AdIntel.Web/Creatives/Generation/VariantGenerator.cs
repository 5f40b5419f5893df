using AdIntel.Web.Creatives.Scoring;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Creatives.Generation;

/// <summary>A generated variant as it is shown: its copy and where it came from, with its score and policy findings.</summary>
public sealed record GeneratedVariant(string Origin, string Product, string Angle, string Format, string PrimaryText, string Headline, string Description,
    string CallToAction, string? Link, CreativeScore Score)
{
    public bool Compliant => Score.Findings.Count == 0;
}

/// <summary>The variants of one request; <see cref="Notices"/> say what happened on the way (e.g. why templates wrote them).</summary>
public sealed record GenerationResult(string Source, IReadOnlyList<string> Notices, IReadOnlyList<GeneratedVariant> Variants);

/// <summary>
/// Writes the variants of a request: by the LLM when one is configured and answers well, otherwise (or to make up the
/// number) by the templates. A variant of the LLM that uses a word the brand avoids is replaced, never shown. Every
/// variant is scored and checked against Meta's Advertising Standards (<see cref="CreativeScorer"/>) before it is
/// returned; a variant with policy findings is shown with them, not hidden. Nothing is saved.
/// </summary>
public sealed class VariantGenerator(AiCopyWriter ai)
{
    public async Task<GenerationResult> GenerateAsync(GenerationRequest request, BrandProfile brand, CancellationToken cancellationToken)
    {
        var written = await ai.WriteAsync(request, brand, cancellationToken);
        var notices = new List<string>();
        if (written.Notice is not null)
        {
            notices.Add(written.Notice);
        }
        var fromAi = written.Drafts.Where(d => brand.WordsToAvoidIn(d.AllText).Count == 0).Take(request.Count).ToList();
        var avoided = written.Drafts.Take(request.Count).Count(d => brand.WordsToAvoidIn(d.AllText).Count > 0);
        if (avoided > 0)
        {
            notices.Add($"{avoided} of the LLM's variants used a word the brand avoids and {(avoided == 1 ? "was" : "were")} left out.");
        }
        var missing = request.Count - fromAi.Count;
        var drafts = fromAi.Select(d => (CreativeVariantOrigins.Ai, d)).ToList();
        if (missing > 0)
        {
            var seen = fromAi.Select(d => d.PrimaryText).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var templates = TemplateCopyWriter.Write(request with { Count = GenerationRequest.MaxCount }, brand).Where(d => !seen.Contains(d.PrimaryText)).Take(missing).ToList();
            drafts.AddRange(templates.Select(d => (CreativeVariantOrigins.Template, d)));
            if (fromAi.Count > 0)
            {
                notices.Add($"The LLM wrote {fromAi.Count} of the {request.Count} variants; AdIntel's templates wrote the other {templates.Count}.");
            }
        }
        var variants = drafts.Select(x => new GeneratedVariant(x.Item1, request.Product, request.Angle, request.Format, x.d.PrimaryText, x.d.Headline,
            x.d.Description, x.d.CallToAction, request.Link, CreativeScorer.Score(x.d.ToCopy(), brand))).ToList();
        return new GenerationResult(fromAi.Count > 0 ? CreativeVariantOrigins.Ai : CreativeVariantOrigins.Template, notices, variants);
    }
}
