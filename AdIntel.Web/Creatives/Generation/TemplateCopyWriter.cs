using System.Text.RegularExpressions;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Creatives.Generation;

/// <summary>
/// Writes ad copy without an LLM: phrases per angle (benefit, social proof, problem/solution, offer, urgency without
/// false scarcity) and format, filled with the product, the audience and the claims the brand allows (never a claim it
/// did not give: social proof and offers quote its claims or point to reviews and the store instead), finished in the
/// brand's voice and kept within the placements' lengths. Deterministic: the same request and profile give the same
/// variants, and the variants of one request differ from each other. No word the brand avoids is ever written.
/// </summary>
public static partial class TemplateCopyWriter
{
    public static IReadOnlyList<CopyDraft> Write(GenerationRequest request, BrandProfile brand)
    {
        var voice = Voice.From(brand.Voice);
        var product = Clean(request.Product, brand);
        if (product.Length == 0)
        {
            product = "it";
        }
        var audience = Clean(AudiencePhrase(brand.Audience), brand);
        var claims = Claims.Sort(brand.ClaimsAllowed.Where(c => brand.WordsToAvoidIn(c).Count == 0).Select(Sentence));
        var book = PhraseBook.For(request.Angle, request.Format, claims, audience);
        string Fill(string phrase) => Finish(phrase.Replace("{p}", product, StringComparison.Ordinal), voice);
        List<string> Usable(IEnumerable<string> phrases) =>
            [.. phrases.Select(Fill).Where(text => brand.WordsToAvoidIn(text).Count == 0).Distinct(StringComparer.OrdinalIgnoreCase)];

        var hooks = Usable(book.Hooks).Select(h => Exclaimed(h, voice)).ToList();
        var bodies = Usable(book.Bodies);
        var formatLines = Usable(book.FormatLines);
        var closers = Usable(book.Closers);
        var headlines = Usable(book.Headlines).Select(Label).Where(h => h.Length <= CopyLimits.Headline).ToList();
        var descriptions = Usable(book.Descriptions).Select(Label).Where(d => d.Length <= CopyLimits.Description).ToList();
        var seed = StableHash($"{request.Product}|{request.Angle}|{request.Format}");

        // Each variant gets its own primary text while the phrases allow, then at least its own headline.
        var drafts = new List<CopyDraft>();
        for (var i = 0; drafts.Count < request.Count && i < request.Count * 16; i++)
        {
            var distinctPrimary = i < request.Count * 8;
            // Hook and body as digits of i (the body turning with the hook, then a step each round): every pair differs until all are used.
            var round = i / Math.Max(1, hooks.Count);
            var hook = Pick(hooks, seed, i);
            var body = Pick(bodies, seed / 3, round + i % Math.Max(1, hooks.Count));
            var formatLine = Pick(formatLines, seed / 5, i);
            var closer = Pick(closers, seed / 7, i + round);
            var primary = PrimaryText(hook, body, formatLine, closer);
            var headline = Pick(headlines, seed / 11, i) ?? Fit(product, CopyLimits.Headline);
            var description = Pick(descriptions, seed / 13, i + i / Math.Max(1, descriptions.Count)) ?? "";
            var draft = new CopyDraft(Scrub(primary, brand), Scrub(headline, brand), Scrub(description, brand), book.CallToAction);
            if (!drafts.Any(d => d.PrimaryText == draft.PrimaryText && (distinctPrimary || d.Headline == draft.Headline)))
            {
                drafts.Add(draft);
            }
        }
        return drafts;
    }

    /// <summary>Hook, body, format line and closer, leaving out the format line, then the body, until it fits the feed's 125 characters.</summary>
    private static string PrimaryText(string? hook, string? body, string? formatLine, string? closer)
    {
        string[][] choices = [[hook!, body!, formatLine!, closer!], [hook!, body!, closer!], [hook!, formatLine!, closer!], [hook!, closer!]];
        foreach (var parts in choices)
        {
            var text = string.Join(' ', parts.Where(p => !string.IsNullOrEmpty(p)));
            if (text.Length <= CopyLimits.PrimaryText)
            {
                return text;
            }
        }
        return Fit(string.Join(' ', new[] { hook, closer }.Where(p => !string.IsNullOrEmpty(p))), CopyLimits.PrimaryText);
    }

    /// <summary>Headlines and descriptions are labels: no closing full stop.</summary>
    private static string Label(string text) => text.TrimEnd('.', '!');

    private static string? Pick(IReadOnlyList<string> options, uint seed, int index) =>
        options.Count == 0 ? null : options[(int)((seed + (uint)index) % (uint)options.Count)];

    /// <summary>The text cut at the last whole word within <paramref name="max"/> characters.</summary>
    public static string Fit(string text, int max)
    {
        if (text.Length <= max)
        {
            return text;
        }
        var cut = text[..max];
        var space = cut.LastIndexOf(' ');
        return (space > max / 2 ? cut[..space] : cut).TrimEnd(' ', ',', ';', ':', '-', '–');
    }

    /// <summary>The voice's punctuation: a calm or premium voice never exclaims.</summary>
    private static string Finish(string text, Voice voice) => voice.Quiet ? text.Replace('!', '.') : text;

    /// <summary>A playful voice's hook ends on an exclamation (one: the rest of the copy stays level).</summary>
    private static string Exclaimed(string hook, Voice voice) =>
        voice.Playful && hook.EndsWith('.') && !hook.EndsWith("..", StringComparison.Ordinal) ? hook[..^1] + "!" : hook;

    /// <summary>Words the brand avoids taken out of text that came from outside the phrase book (product names, audience).</summary>
    private static string Clean(string? text, BrandProfile brand)
    {
        var cleaned = text ?? "";
        foreach (var word in brand.WordsToAvoidIn(cleaned))
        {
            cleaned = Regex.Replace(cleaned, $@"(?<![\w]){Regex.Escape(word)}(?![\w])", "", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        }
        return Spaces().Replace(cleaned, " ").Trim(' ', ',', ';', ':', '-');
    }

    /// <summary>The last guard: nothing the brand avoids leaves the writer, whatever the phrases and fills did.</summary>
    private static string Scrub(string text, BrandProfile brand) => brand.WordsToAvoidIn(text).Count == 0 ? text : Clean(text, brand);

    /// <summary>"Runners who train outdoors" → "runners who train outdoors" (an acronym or a name keeps its capital).</summary>
    private static string? AudiencePhrase(string? audience)
    {
        var text = audience?.Trim().TrimEnd('.', '!', '?');
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        return text.Length > 1 && char.IsUpper(text[0]) && !char.IsUpper(text[1]) ? char.ToLowerInvariant(text[0]) + text[1..] : text;
    }

    private static string Sentence(string claim)
    {
        var text = claim.Trim();
        return text.Length == 0 || ".!?".Contains(text[^1]) ? text : text + ".";
    }

    /// <summary>FNV-1a over the text: stable across processes, unlike string.GetHashCode.</summary>
    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text.ToLowerInvariant())
        {
            hash = (hash ^ c) * 16777619u;
        }
        return hash;
    }

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex Spaces();

    /// <summary>What the brand's voice adjectives ask of punctuation.</summary>
    private sealed record Voice(bool Playful, bool Quiet)
    {
        public static Voice From(string? voice)
        {
            var text = (voice ?? "").ToLowerInvariant();
            bool Says(params string[] adjectives) => adjectives.Any(a => Regex.IsMatch(text, $@"\b{a}\b"));
            var quiet = Says("calm", "minimal", "understated", "premium", "luxury", "luxurious", "elegant", "sophisticated");
            return new Voice(Says("playful", "fun", "energetic", "cheeky") && !quiet, quiet);
        }
    }

    /// <summary>The brand's allowed claims sorted by what they can carry: reviews and ratings, offers, or benefits.</summary>
    private sealed record Claims(IReadOnlyList<string> SocialProof, IReadOnlyList<string> Offers, IReadOnlyList<string> Benefits)
    {
        public static Claims Sort(IEnumerable<string> claims)
        {
            List<string> social = [], offers = [], benefits = [];
            foreach (var claim in claims)
            {
                if (SocialCue().IsMatch(claim))
                {
                    social.Add(claim);
                }
                else if (OfferCue().IsMatch(claim))
                {
                    offers.Add(claim);
                }
                else
                {
                    benefits.Add(claim);
                }
            }
            return new Claims(social, offers, benefits);
        }
    }

    [GeneratedRegex(@"\b(?:rated|reviews?|customers|stars?|bestsell\w*|best-sell\w*|sold|loved by|award\w*)\b|⭐", RegexOptions.IgnoreCase)]
    private static partial Regex SocialCue();

    [GeneratedRegex(@"%|\b(?:off|free shipping|free delivery|free returns|discount|save|sale|code|bundle|gift)\b", RegexOptions.IgnoreCase)]
    private static partial Regex OfferCue();

    /// <summary>The phrases of one angle and format, with <c>{p}</c> for the product; claims and the audience already in place.</summary>
    private sealed record PhraseBook(IReadOnlyList<string> Hooks, IReadOnlyList<string> Bodies, IReadOnlyList<string> FormatLines, IReadOnlyList<string> Closers,
        IReadOnlyList<string> Headlines, IReadOnlyList<string> Descriptions, string CallToAction)
    {
        public static PhraseBook For(string angle, string format, Claims claims, string audience)
        {
            var forAudience = audience.Length == 0 ? [] : new[] { $"Made for {audience}." };
            string[] formatLines = format switch
            {
                CreativeFormats.Video => ["Watch it in action.", "See it in action in the video."],
                CreativeFormats.Carousel => ["Swipe to see every detail.", "Swipe through to find your favourite."],
                _ => [],
            };
            string[] descriptions = ["Shop now online", "Made for every day", "See it for yourself", "Discover the range"];
            return angle switch
            {
                CreativeAngles.SocialProof => new(
                    [.. claims.SocialProof, "Don't take our word for it: read what customers say about {p}.", "Read the reviews, then decide on {p}.",
                     "See what people are saying about {p}.", "Curious about {p}? The reviews say it best."],
                    [.. claims.Benefits, .. forAudience, "Judge {p} for yourself.", "See why it earns a place in your day."],
                    formatLines,
                    ["Shop {p} today.", "Read the reviews and shop now.", "Get yours today.", "Discover {p} now."],
                    [.. claims.SocialProof, "Read the reviews", "See what people say", "{p}", "Judge it for yourself"],
                    [.. claims.SocialProof, .. descriptions],
                    "SHOP_NOW"),
                CreativeAngles.ProblemSolution => new(
                    ["Still looking for the right {p}? Your search ends here.", "Something missing from your routine? Try {p}.",
                     "Had enough of settling for less? Meet {p}.", "Want a simpler way? {p} makes it easy.", "Looking for something better? Say hello to {p}."],
                    [.. claims.Benefits, .. forAudience, "It does the job, so you can get on with your day.", "Simple to use, easy to love."],
                    formatLines,
                    ["See how {p} works.", "Learn more today.", "Discover {p} now.", "Find yours today."],
                    ["A better way with {p}", "The simple fix", "{p}", "Made to make it easy"],
                    ["See how it works", .. descriptions],
                    "LEARN_MORE"),
                CreativeAngles.Offer => new(
                    claims.Offers.Count > 0
                        ? [.. claims.Offers.SelectMany(o => new[] { o + " Treat yourself to {p}.", "{p}: " + o, o + " Meet {p}.", "Good news for {p} fans: " + o })]
                        : ["See today's price on {p}.", "Take a fresh look at {p}.", "Your next favourite is waiting: {p}."],
                    [.. claims.Benefits, .. forAudience, "Made to be enjoyed every day."],
                    formatLines,
                    claims.Offers.Count > 0 ? ["Shop the offer today.", "Get yours today.", "Shop {p} now."] : ["Shop {p} today.", "Get yours today.", "Explore {p} now."],
                    [.. claims.Offers, "{p}", "Shop the range", "Your next favourite"],
                    [.. claims.Offers, .. descriptions],
                    claims.Offers.Count > 0 ? "GET_OFFER" : "SHOP_NOW"),
                CreativeAngles.Urgency => new(
                    ["Why wait? {p} is ready when you are.", "Start today with {p}.", "Today is a good day to try {p}.",
                     "Don't put it off: treat yourself to {p}.", "The sooner you start, the sooner you enjoy {p}."],
                    [.. claims.Benefits, .. claims.Offers, .. forAudience, "Your future self will thank you."],
                    formatLines,
                    ["Order {p} today.", "Get yours today.", "Start now.", "Shop {p} now."],
                    ["Start today", "Ready when you are", "{p}", "Why wait?"],
                    descriptions,
                    "ORDER_NOW"),
                _ => new(
                    ["Your everyday just got better with {p}.", "Meet {p}, made for the way you live.", "Treat yourself to {p}.",
                     "Feel the difference {p} makes.", "Upgrade your routine with {p}."],
                    [.. claims.Benefits, .. forAudience, "Designed with you in mind.", "Easy to enjoy, every single day."],
                    formatLines,
                    ["Shop {p} today.", "Get yours today.", "Discover {p} now.", "Find yours today."],
                    [.. claims.Benefits, "Meet {p}", "{p}, made for you", "Made for your every day", "Feel the difference"],
                    descriptions,
                    "SHOP_NOW"),
            };
        }
    }
}
