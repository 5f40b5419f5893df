using System.Text.RegularExpressions;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Creatives;

/// <summary>
/// How a store's ads should sound (Settings → Brand and <c>/api/settings/brand-profile</c>): its voice, its audience, the
/// products to feature, the words to avoid and the claims it may make. The creative score measures copy against it.
/// </summary>
public sealed record BrandProfile(string? Voice, string? Audience, IReadOnlyList<string> ProductsToFeature, IReadOnlyList<string> WordsToAvoid,
    IReadOnlyList<string> ClaimsAllowed)
{
    public const int MaxTextLength = 300;
    public const int MaxProducts = 20;
    public const int MaxWordsToAvoid = 50;
    public const int MaxClaims = 20;
    public const int MaxItemLength = 80;
    public const int MaxClaimLength = 200;

    public static BrandProfile Empty { get; } = new(null, null, [], [], []);

    public bool IsEmpty => Voice is null && Audience is null && ProductsToFeature.Count == 0 && WordsToAvoid.Count == 0 && ClaimsAllowed.Count == 0;

    /// <summary>The profile with text trimmed (blank: null) and list items trimmed, blanks and repeats (ignoring case) dropped.</summary>
    public static BrandProfile Normalized(string? voice, string? audience, IEnumerable<string?>? products, IEnumerable<string?>? wordsToAvoid,
        IEnumerable<string?>? claims) =>
        new(Text(voice), Text(audience), Items(products), Items(wordsToAvoid), Items(claims));

    /// <summary>Problems by field (empty when the profile can be saved): lengths and counts, each saying its limit.</summary>
    public IReadOnlyDictionary<string, string> Problems()
    {
        var problems = new Dictionary<string, string>();
        if (Voice?.Length > MaxTextLength) problems["voice"] = $"must be at most {MaxTextLength} characters (it has {Voice.Length})";
        if (Audience?.Length > MaxTextLength) problems["audience"] = $"must be at most {MaxTextLength} characters (it has {Audience.Length})";
        CheckList(problems, "productsToFeature", ProductsToFeature, MaxProducts, MaxItemLength);
        CheckList(problems, "wordsToAvoid", WordsToAvoid, MaxWordsToAvoid, MaxItemLength);
        CheckList(problems, "claimsAllowed", ClaimsAllowed, MaxClaims, MaxClaimLength);
        return problems;
    }

    public static BrandProfile From(StoreSettings settings) => new(settings.BrandVoice, settings.BrandAudience, Lines(settings.BrandProductsToFeature),
        Lines(settings.BrandWordsToAvoid), Lines(settings.BrandClaimsAllowed));

    public void ApplyTo(StoreSettings settings)
    {
        settings.BrandVoice = Voice;
        settings.BrandAudience = Audience;
        settings.BrandProductsToFeature = JoinedOrNull(ProductsToFeature);
        settings.BrandWordsToAvoid = JoinedOrNull(WordsToAvoid);
        settings.BrandClaimsAllowed = JoinedOrNull(ClaimsAllowed);
    }

    /// <summary>Value equality over the lists' items (records compare lists by reference).</summary>
    public bool SameAs(BrandProfile other) => Voice == other.Voice && Audience == other.Audience
        && ProductsToFeature.SequenceEqual(other.ProductsToFeature) && WordsToAvoid.SequenceEqual(other.WordsToAvoid)
        && ClaimsAllowed.SequenceEqual(other.ClaimsAllowed);

    /// <summary>
    /// The words to avoid that <paramref name="text"/> uses: each as a whole word or phrase, in any case. The one test of
    /// "uses a word to avoid", for the score's brand voice and for generated copy alike.
    /// </summary>
    public IReadOnlyList<string> WordsToAvoidIn(string text) => [.. WordsToAvoid.Where(word => Uses(text, word))];

    /// <summary>Whether <paramref name="text"/> holds <paramref name="term"/> as a whole word or phrase, in any case.</summary>
    public static bool Uses(string text, string term) =>
        Regex.IsMatch(text, $@"(?<![\w]){Regex.Escape(term)}(?![\w])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>The list fields as one item a line (the Settings form's text areas).</summary>
    public static string Joined(IReadOnlyList<string> items) => string.Join('\n', items);

    public static IEnumerable<string> SplitLines(string? text) => (text ?? "").Split('\n');

    private static void CheckList(Dictionary<string, string> problems, string field, IReadOnlyList<string> items, int maxItems, int maxLength)
    {
        if (items.Count > maxItems)
        {
            problems[field] = $"at most {maxItems} entries (it has {items.Count})";
        }
        else if (items.FirstOrDefault(i => i.Length > maxLength) is { } tooLong)
        {
            problems[field] = $"each entry must be at most {maxLength} characters (\"{tooLong[..20]}…\" has {tooLong.Length})";
        }
        else if (items.FirstOrDefault(i => i.Contains('\n') || i.Contains('\r')) is not null)
        {
            problems[field] = "an entry cannot span several lines";
        }
    }

    private static string? Text(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static List<string> Items(IEnumerable<string?>? values) =>
        [.. (values ?? []).Select(v => v?.Trim()).OfType<string>().Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];

    private static List<string> Lines(string? stored) => Items(SplitLines(stored).Select(l => l.TrimEnd('\r')));

    private static string? JoinedOrNull(IReadOnlyList<string> items) => items.Count == 0 ? null : Joined(items);
}
