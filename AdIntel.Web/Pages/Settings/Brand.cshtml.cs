using AdIntel.Web.Creatives;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Settings;

/// <summary>The store's brand profile, which the creative score measures copy against (marketers and owners change it; everyone sees it).</summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class BrandModel(StoreBrandProfile brand) : PageModel
{
    [BindProperty]
    public BrandInput Input { get; set; } = new();

    public IReadOnlyDictionary<string, string> Problems { get; private set; } = new Dictionary<string, string>();
    public bool Saved { get; private set; }
    public bool CanEdit => User.GetStoreRole() >= StoreRole.Marketer;

    public async Task OnGetAsync(CancellationToken cancellationToken) => Input = BrandInput.From(await brand.GetAsync(cancellationToken));

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        Problems = await brand.SaveAsync(Input.ToProfile(), cancellationToken);
        Saved = Problems.Count == 0;
        if (Saved)
        {
            Input = BrandInput.From(await brand.GetAsync(cancellationToken));
        }
        return Page();
    }

    public string? Problem(string field) => Problems.GetValueOrDefault(field);

    /// <summary>The form: lists are one entry a line.</summary>
    public sealed class BrandInput
    {
        public string? Voice { get; set; }
        public string? Audience { get; set; }
        public string? ProductsToFeature { get; set; }
        public string? WordsToAvoid { get; set; }
        public string? ClaimsAllowed { get; set; }

        public static BrandInput From(BrandProfile p) => new()
        {
            Voice = p.Voice, Audience = p.Audience, ProductsToFeature = BrandProfile.Joined(p.ProductsToFeature),
            WordsToAvoid = BrandProfile.Joined(p.WordsToAvoid), ClaimsAllowed = BrandProfile.Joined(p.ClaimsAllowed),
        };

        public BrandProfile ToProfile() => BrandProfile.Normalized(Voice, Audience, BrandProfile.SplitLines(ProductsToFeature),
            BrandProfile.SplitLines(WordsToAvoid), BrandProfile.SplitLines(ClaimsAllowed));
    }
}
