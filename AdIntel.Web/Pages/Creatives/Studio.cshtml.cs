using AdIntel.Web.Creatives;
using AdIntel.Web.Creatives.Compliance;
using AdIntel.Web.Creatives.Generation;
using AdIntel.Web.Creatives.Scoring;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Htmx;
using AdIntel.Web.Pages.Settings;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Creatives;

/// <summary>The generation form as posted.</summary>
public sealed class GenerateForm
{
    public string? Product { get; set; }
    public string? Angle { get; set; } = CreativeAngles.Benefit;
    public string? Format { get; set; } = CreativeFormats.Image;
    public int? Count { get; set; } = 3;
    public string? Link { get; set; }
}

/// <summary>A variant's fields as the Save and Edit forms post them.</summary>
public sealed class VariantForm
{
    public string? Product { get; set; }
    public string? Angle { get; set; }
    public string? Format { get; set; }
    public string? PrimaryText { get; set; }
    public string? Headline { get; set; }
    public string? Description { get; set; }
    public string? CallToAction { get; set; }
    public string? Link { get; set; }
    public string? Origin { get; set; }

    public VariantInput ToInput() => new(Product, Angle, Format, PrimaryText, Headline, Description, CallToAction, Link, Origin);

    public static VariantForm From(CreativeVariant v) => new()
    {
        Product = v.Product, Angle = v.Angle, Format = v.Format, PrimaryText = v.PrimaryText, Headline = v.Headline, Description = v.Description,
        CallToAction = v.CallToAction, Link = v.Link, Origin = v.Origin,
    };
}

/// <summary>One variant card: its copy, score and findings, and (for people who may) a Save form carrying its fields.</summary>
public sealed record StudioCard(string Id, GeneratedVariant Variant, bool CanSave);

/// <summary>
/// The Creative Studio: generate variants for a product, angle and format (templates, or the LLM when configured), each
/// shown with its score, sub-scores and policy findings before anyone saves it; save, edit inline and delete saved
/// variants; score and check one's own copy; export for Ads Manager. Every form works without script; htmx swaps the
/// results, the saved list or one row in place.
/// </summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class StudioModel(VariantGenerator generator, CreativeVariantWriter writer, StoreBrandProfile brandProfile, AdIntelDbContext db) : PageModel
{
    public const int MaxSavedShown = 200;

    public bool CanEdit => User.GetStoreRole() >= StoreRole.Marketer;

    public GenerateForm Generate { get; private set; } = new();
    public GenerationResult? Result { get; private set; }
    public IReadOnlyDictionary<string, string> GenerateProblems { get; private set; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Products { get; private set; } = [];
    public BrandProfile Brand { get; private set; } = BrandProfile.Empty;

    public VariantForm OwnCopy { get; private set; } = new();
    public GeneratedVariant? OwnCopyResult { get; private set; }
    public string? OwnCopyProblem { get; private set; }

    public IReadOnlyList<CreativeVariant> Saved { get; private set; } = [];
    public int SavedTotal { get; private set; }
    /// <summary>The saved variant shown as an edit form, with what was typed and its problems.</summary>
    public long? EditingId { get; private set; }
    public VariantForm? EditForm { get; private set; }
    public IReadOnlyDictionary<string, string> EditProblems { get; private set; } = new Dictionary<string, string>();

    [TempData]
    public string? Flash { get; set; }

    public string? Notice { get; private set; }
    public string? Failure { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostGenerateAsync(GenerateForm generate, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        Generate = generate;
        var (request, problems) = GenerationRequest.Validate(generate.Product, generate.Angle, generate.Format, generate.Count, generate.Link);
        GenerateProblems = problems;
        Brand = await brandProfile.GetAsync(cancellationToken);
        if (request is not null)
        {
            Result = await generator.GenerateAsync(request, Brand, cancellationToken);
        }
        if (Request.IsHtmxFragmentRequest())
        {
            return Partial("_StudioResults", this);
        }
        await LoadAsync(cancellationToken);
        if (request is null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostScoreAsync(VariantForm ownCopy, CancellationToken cancellationToken)
    {
        OwnCopy = ownCopy;
        Brand = await brandProfile.GetAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(ownCopy.PrimaryText))
        {
            OwnCopyProblem = "Write the primary text to score (the headline and description are optional).";
        }
        else if (new[] { ownCopy.PrimaryText, ownCopy.Headline, ownCopy.Description }.Any(t => t?.Length > AdCopy.MaxFieldLength))
        {
            OwnCopyProblem = $"Each field is limited to {AdCopy.MaxFieldLength:N0} characters.";
        }
        else
        {
            var draft = new CopyDraft(ownCopy.PrimaryText.Trim(), ownCopy.Headline?.Trim() ?? "", ownCopy.Description?.Trim() ?? "",
                CallToActions.ForVariants.Contains(ownCopy.CallToAction ?? "") ? ownCopy.CallToAction! : CreativeVariantWriter.DefaultCallToAction);
            OwnCopyResult = new GeneratedVariant(CreativeVariantOrigins.Edited, string.IsNullOrWhiteSpace(ownCopy.Product) ? "" : ownCopy.Product.Trim(), "",
                CreativeFormats.Image, draft.PrimaryText, draft.Headline, draft.Description, draft.CallToAction, null, CreativeScorer.Score(draft.ToCopy(), Brand));
        }
        if (Request.IsHtmxFragmentRequest())
        {
            return Partial("_StudioOwnCopy", this);
        }
        await LoadAsync(cancellationToken);
        if (OwnCopyProblem is not null)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostSaveAsync(VariantForm variant, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        var result = await writer.CreateAsync(variant.ToInput(), await brandProfile.GetAsync(cancellationToken), User.GetActor(), cancellationToken);
        return result.Variant is null
            ? await AnswerAsync(null, result.Refusal ?? "Not saved: " + string.Join("; ", result.Problems.Select(p => $"{p.Key} {p.Value}")) + ".", cancellationToken)
            : await AnswerAsync($"Saved the variant for {result.Variant.Product} (score {result.Variant.Score}).", null, cancellationToken);
    }

    /// <summary>One saved variant as an edit form (htmx swaps it into its row; without script the page shows it in place).</summary>
    public async Task<IActionResult> OnGetEditAsync(long id, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        var variant = await db.CreativeVariants.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id, cancellationToken);
        if (variant is null)
        {
            return NotFound();
        }
        EditingId = id;
        EditForm = VariantForm.From(variant);
        if (Request.IsHtmxFragmentRequest())
        {
            return Partial("_VariantEditForm", this);
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostEditAsync(long id, VariantForm variant, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        var result = await writer.UpdateAsync(id, variant.ToInput(), await brandProfile.GetAsync(cancellationToken), User.GetActor(), cancellationToken);
        if (result.NotFound)
        {
            return NotFound();
        }
        if (result.Variant is null)
        {
            EditingId = id;
            EditForm = variant;
            EditProblems = result.Problems;
            return await AnswerAsync(null, "Not saved: check the fields marked below.", cancellationToken);
        }
        return await AnswerAsync($"Saved your changes: the variant now scores {result.Variant.Score}.", null, cancellationToken);
    }

    public async Task<IActionResult> OnPostDeleteAsync(long id, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        return await writer.DeleteAsync(id, cancellationToken) ? await AnswerAsync("Deleted the variant.", null, cancellationToken) : NotFound();
    }

    public string? EditProblem(string field) => EditProblems.GetValueOrDefault(field);

    public string? GenerateProblem(string field) => GenerateProblems.GetValueOrDefault(field);

    /// <summary>After a change of saved variants: htmx gets the saved list again; a plain form post the page (again, with what to fix, or redirected).</summary>
    private async Task<IActionResult> AnswerAsync(string? done, string? problem, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        if (Request.IsHtmxFragmentRequest())
        {
            Notice = done;
            Failure = problem;
            return Partial("_SavedVariants", this);
        }
        if (problem is not null)
        {
            Failure = problem;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }
        Flash = done;
        return Redirect("/creatives/studio#saved-variants");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Brand = await brandProfile.GetAsync(cancellationToken);
        var titles = await db.Products.AsNoTracking().OrderBy(p => p.Title).Select(p => p.Title).Take(500).ToListAsync(cancellationToken);
        Products = [.. Brand.ProductsToFeature.Concat(titles).Distinct(StringComparer.OrdinalIgnoreCase)];
        SavedTotal = await db.CreativeVariants.CountAsync(cancellationToken);
        Saved = await db.CreativeVariants.AsNoTracking().OrderByDescending(v => v.Id).Take(MaxSavedShown).ToListAsync(cancellationToken);
    }
}
