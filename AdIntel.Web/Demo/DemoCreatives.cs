using AdIntel.Web.Domain;

namespace AdIntel.Web.Demo;

/// <summary>
/// One creative per demo ad: copy that fits the ad's theme and angle (its name is "theme | format | angle | vN"), a
/// call to action that fits the campaign's objective and a link into the demo shop. No thumbnail URL: the app draws
/// demo thumbnails itself, so the demo works offline. Drawn from a stream of its own, so it reshuffles nothing else.
/// </summary>
internal static class DemoCreatives
{
    private const string Shop = "https://" + DemoStoreGenerator.ShopDomain;

    private static readonly string[] Products =
        ["Summit Down Jacket", "Merino Hiking Socks", "Everyday Merino Tee", "Ridgeline Rain Shell", "Trailhead Fleece", "Women's Trail Leggings"];

    private static readonly string[] Openers =
    [
        "{0}: made for long days outside.",
        "Meet the {0}. Tested on 2,000 miles of trail.",
        "Why hikers keep coming back to the {0}.",
        "The {0} you'll reach for every weekend.",
        "Light, warm and built to last: the {0}.",
    ];

    private static readonly Dictionary<string, string> AngleLines = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UGC review"] = "\"Wore it up Mt. Whitney and back – still looks new.\" – Jess, verified buyer",
        ["Testimonial"] = "Rated 4.8/5 by more than 12,000 hikers.",
        ["Founder story"] = "We started in a garage in Boulder because our gear kept failing us.",
        ["Layering guide"] = "Base, mid, shell: here's how to stay dry from trailhead to summit.",
        ["Us vs them"] = "Half the weight of a big-box jacket, twice the warranty.",
        ["Static offer"] = "Free shipping on orders over $75 and 60-day free returns.",
        ["Free shipping $75+"] = "Free shipping on orders over $75.",
        ["Offer reminder"] = "Your cart is waiting – free returns for 60 days.",
        ["Review carousel"] = "Swipe through what 12,000+ hikers say about us.",
    };

    private static readonly string[] Closers =
    [
        "Free returns for 60 days.", "Free shipping over $75.", "Lifetime repairs on every jacket.", "Ships in 1–2 days.",
    ];

    private static readonly string[] Descriptions =
        ["Free shipping over $75", "60-day free returns", "Lifetime repairs", "Rated 4.8/5", "Ships in 1–2 days"];

    public static List<AdCreative> Build(Random random, IReadOnlyList<Campaign> campaigns, IReadOnlyList<Ad> ads, IReadOnlyDictionary<long, string> headlineTemplates)
    {
        var objectives = campaigns.ToDictionary(c => c.Id, c => c.Objective);
        var creatives = new List<AdCreative>(ads.Count);
        foreach (var ad in ads)
        {
            var parts = ad.Name.Split(" | ");
            var theme = parts[0];
            var angle = parts.Length > 2 ? parts[2] : "";
            var objective = objectives.GetValueOrDefault(ad.CampaignId);
            var product = Products.Contains(theme) ? theme : random.Pick(Products);
            var headline = headlineTemplates.GetValueOrDefault(ad.Id)?.Replace("{{product.name}}", product, StringComparison.Ordinal);
            var text = objective switch
            {
                "OUTCOME_TRAFFIC" => $"{angle}: our field notes from 10 years on the trail. Read it before your next trip.",
                "OUTCOME_AWARENESS" => $"{theme}. Every seam tested where it matters. {random.Pick(Closers)}",
                _ => string.Join(' ', string.Format(System.Globalization.CultureInfo.InvariantCulture, random.Pick(Openers), product),
                    AngleLines.GetValueOrDefault(angle) ?? random.Pick(Closers)),
            };
            var (cta, link) = objective switch
            {
                "OUTCOME_TRAFFIC" => ("LEARN_MORE", $"{Shop}/blogs/journal/{Slug(angle)}"),
                "OUTCOME_AWARENESS" => (random.Chance(0.5) ? "WATCH_MORE" : "LEARN_MORE", $"{Shop}/pages/our-story"),
                _ => (random.Chance(0.8) ? "SHOP_NOW" : "BUY_NOW", $"{Shop}/products/{Slug(product)}"),
            };
            creatives.Add(new AdCreative
            {
                Id = creatives.Count + 1,
                AdId = ad.Id,
                Format = ad.CreativeType ?? CreativeFormats.Image,
                PrimaryText = text,
                Headline = headline,
                Description = random.Pick(Descriptions),
                CallToAction = cta,
                Link = link,
                UpdatedAtUtc = ad.UpdatedAtUtc,
            });
        }
        return creatives;
    }

    private static string Slug(string text) =>
        string.Join('-', new string([.. text.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : ' ')])
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
