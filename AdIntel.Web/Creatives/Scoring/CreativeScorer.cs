using System.Globalization;
using System.Text.RegularExpressions;
using AdIntel.Web.Creatives.Compliance;

namespace AdIntel.Web.Creatives.Scoring;

/// <summary>One part of a creative's score: 0–100, its weight in the overall score, and the sentence that says why, with the figure measured.</summary>
public sealed record SubScore(string Key, string Name, int Score, decimal Weight, string Reason);

/// <summary>A creative's score: the weighted sum of its sub-scores, the sub-scores, length warnings and the policy findings behind the policy risk.</summary>
public sealed record CreativeScore(int Overall, IReadOnlyList<SubScore> SubScores, IReadOnlyList<string> Warnings, IReadOnlyList<ComplianceFinding> Findings);

/// <summary>
/// The weights of the overall creative score, in one place (docs/creatives.md lists them): they sum to 1, so the
/// overall score is on the same 0–100 scale as its parts.
/// </summary>
public static class ScoreWeights
{
    public const decimal Hook = 0.20m;
    public const decimal Clarity = 0.15m;
    public const decimal CallToAction = 0.15m;
    public const decimal Length = 0.10m;
    public const decimal Benefit = 0.15m;
    public const decimal BrandVoice = 0.10m;
    public const decimal PolicyRisk = 0.15m;
}

/// <summary>
/// Scores ad copy, transparently and deterministically: hook in the first 125 characters, clarity (Flesch reading ease),
/// call to action, length per placement, benefit vs feature language, brand voice match and policy risk (the copy
/// checker's findings). Pure: the same copy and profile always score the same.
/// </summary>
public static partial class CreativeScorer
{
    /// <summary>Characters of primary text the mobile feed shows before "See more".</summary>
    public const int VisiblePrimaryText = 125;
    public const int HeadlineIdeal = 27;
    public const int HeadlineMax = 40;
    public const int DescriptionMax = 30;

    /// <summary>Imperative verbs that ask for the click (matched as whole words, any case).</summary>
    public static readonly IReadOnlyList<string> CallToActionVerbs =
        ["shop", "buy", "order", "get", "grab", "discover", "try", "book", "subscribe", "sign up", "join", "claim", "explore", "download", "start", "reserve", "learn more", "see", "find"];

    private static readonly string[] BenefitCues =
        ["you", "your", "save", "enjoy", "feel", "comfortable", "comfort", "easy", "easier", "effortless", "never", "without", "keeps", "stay", "love",
         "so you can", "all day", "free shipping", "results", "protect", "faster", "confidence"];

    private static readonly string[] FeatureCues =
        ["made of", "made from", "features", "featuring", "includes", "equipped", "specifications", "specs", "technology", "patented", "engineered",
         "material", "fabric", "polyester", "nylon", "aluminium", "aluminum", "dimensions", "model", "version", "component", "spec"];

    private static readonly string[] Hedges = ["maybe", "might", "perhaps", "possibly", "kind of", "sort of", "try to", "hopefully"];

    public static CreativeScore Score(AdCopy copy, BrandProfile brand)
    {
        var primary = copy.PrimaryText?.Trim() ?? "";
        var all = string.Join("\n", copy.Fields().Select(f => f.Text.Trim()));
        var warnings = new List<string>();
        var findings = AdCopyCompliance.Check(copy);
        SubScore[] parts =
        [
            ScoreHook(primary),
            ScoreClarity(all),
            ScoreCallToAction(copy),
            ScoreLength(copy, warnings),
            ScoreBenefit(all),
            ScoreBrandVoice(all, brand),
            ScorePolicyRisk(findings),
        ];
        var overall = (int)Math.Round(parts.Sum(p => p.Score * p.Weight), MidpointRounding.AwayFromZero);
        return new CreativeScore(overall, parts, warnings, findings);
    }

    /// <summary>
    /// 40 to start; +20 when a sentence ends within the first 125 characters, +15 when it speaks to the reader
    /// (you/your), +15 with a number or a question, +10 with a benefit cue; −20 when it opens on the brand ("We", "Our", "Introducing").
    /// </summary>
    private static SubScore ScoreHook(string primary)
    {
        var hook = primary.Length > VisiblePrimaryText ? primary[..VisiblePrimaryText] : primary;
        var points = 40;
        var said = new List<string>();
        var firstStop = FirstSentenceEnd().Match(hook);
        if (firstStop.Success)
        {
            points += 20;
            said.Add($"a sentence ends at character {firstStop.Index + 1}");
        }
        else
        {
            said.Add($"no sentence ends within the first {hook.Length} characters");
        }
        if (HasAny(hook, ["you", "your"]))
        {
            points += 15;
            said.Add("it speaks to the reader");
        }
        if (Number().IsMatch(hook) || hook.Contains('?'))
        {
            points += 15;
            said.Add("it has a number or a question");
        }
        if (HasAny(hook, BenefitCues))
        {
            points += 10;
            said.Add("it names a benefit");
        }
        if (BrandOpening().IsMatch(hook))
        {
            points -= 20;
            said.Add("it opens on the brand, not the reader");
        }
        var score = Clamp(points);
        return new("hook", "Hook in the first 125 characters", score, ScoreWeights.Hook,
            $"In the first {hook.Length} characters (of {VisiblePrimaryText} shown before \"See more\") {string.Join(", ", said)}.");
    }

    /// <summary>Flesch reading ease of all the copy, scaled so that 70 (plain English) or easier scores 100 and 10 or harder scores 0.</summary>
    private static SubScore ScoreClarity(string all)
    {
        var level = Readability.Measure(all);
        var score = Clamp((int)Math.Round((level.ReadingEase - 10) * 100 / 60));
        return new("clarity", "Clarity and reading grade", score, ScoreWeights.Clarity, string.Create(CultureInfo.InvariantCulture,
            $"Flesch reading ease {level.ReadingEase:0.0} (grade {Math.Max(0, level.Grade):0.0}): {level.WordsPerSentence:0.0} words a sentence, {level.SyllablesPerWord:0.00} syllables a word over {level.Words} words."));
    }

    /// <summary>100 for a call to action in the headline or description, or opening a sentence of the primary text; 70 anywhere else; 20 without one.</summary>
    private static SubScore ScoreCallToAction(AdCopy copy)
    {
        foreach (var (field, text) in copy.Fields())
        {
            var sentences = SentenceSplit().Split(text).Select(s => s.Trim()).ToList();
            for (var i = 0; i < sentences.Count; i++)
            {
                var leading = CallToActionVerbs.FirstOrDefault(verb => sentences[i].StartsWith(verb + " ", StringComparison.OrdinalIgnoreCase)
                    || sentences[i].TrimEnd('.', '!').Equals(verb, StringComparison.OrdinalIgnoreCase));
                if (leading is not null)
                {
                    return new("call_to_action", "Call to action", 100, ScoreWeights.CallToAction,
                        $"A call to action (\"{leading}\") opens sentence {i + 1} of {sentences.Count} of the {FieldName(field)}.");
                }
            }
        }
        var all = string.Join(" ", copy.Fields().Select(f => f.Text));
        if (CallToActionVerbs.FirstOrDefault(verb => HasAny(all, [verb])) is { } inside)
        {
            return new("call_to_action", "Call to action", 70, ScoreWeights.CallToAction, $"A call to action (\"{inside}\") is there at character {all.IndexOf(inside, StringComparison.OrdinalIgnoreCase) + 1}, but does not open a sentence: lead with it.");
        }
        return new("call_to_action", "Call to action", 20, ScoreWeights.CallToAction,
            $"No call to action found (0 of {CallToActionVerbs.Count} verbs such as shop, buy, get, discover): ask for the click.");
    }

    /// <summary>
    /// Each field against what its placement shows: primary text within 125 characters scores 100 (to 250: 70, longer: 40);
    /// headline up to 40 (27 ideal) 100, to 60: 60, longer 30, missing 50; description up to 30: 100, longer 60 (missing: not counted).
    /// Weighted 0.5 primary, 0.3 headline, 0.2 description. Over-long fields are warnings, never refused.
    /// </summary>
    private static SubScore ScoreLength(AdCopy copy, List<string> warnings)
    {
        var primary = copy.PrimaryText?.Trim().Length ?? 0;
        var headline = copy.Headline?.Trim().Length ?? 0;
        var description = copy.Description?.Trim().Length ?? 0;
        var parts = new List<(decimal Weight, int Score)> { (0.5m, primary <= VisiblePrimaryText ? 100 : primary <= 250 ? 70 : 40) };
        var said = new List<string> { $"primary text {primary} characters" };
        if (primary > VisiblePrimaryText)
        {
            warnings.Add($"Primary text is {primary} characters: mobile feeds cut it at about {VisiblePrimaryText}, before \"See more\".");
        }
        parts.Add((0.3m, headline == 0 ? 50 : headline <= HeadlineMax ? 100 : headline <= 60 ? 60 : 30));
        said.Add(headline == 0 ? "no headline" : $"headline {headline} characters");
        if (headline > HeadlineMax)
        {
            warnings.Add($"Headline is {headline} characters: feeds show about {HeadlineIdeal}–{HeadlineMax}.");
        }
        if (description > 0)
        {
            parts.Add((0.2m, description <= DescriptionMax ? 100 : 60));
            said.Add($"description {description} characters");
            if (description > DescriptionMax)
            {
                warnings.Add($"Description is {description} characters: placements show about 25–{DescriptionMax}, and mobile often hides it.");
            }
        }
        var score = (int)Math.Round(parts.Sum(p => p.Weight * p.Score) / parts.Sum(p => p.Weight), MidpointRounding.AwayFromZero);
        return new("length", "Length per placement", score, ScoreWeights.Length,
            $"{Capitalized(string.Join(", ", said))} (feed shows about {VisiblePrimaryText}, {HeadlineIdeal}–{HeadlineMax} and 25–{DescriptionMax}).");
    }

    /// <summary>Share of benefit cues among benefit and feature cues; 40 when the copy has neither.</summary>
    private static SubScore ScoreBenefit(string all)
    {
        var benefits = Found(all, BenefitCues);
        var features = Found(all, FeatureCues);
        var total = benefits.Count + features.Count;
        var score = total == 0 ? 40 : (int)Math.Round(100.0 * benefits.Count / total);
        return new("benefit", "Benefit vs feature language", score, ScoreWeights.Benefit,
            $"{benefits.Count} benefit cue(s){List(benefits)} against {features.Count} feature term(s){List(features)}.");
    }

    /// <summary>
    /// 70 to start (50 without a profile); −25 per word to avoid present; +15 per product to feature mentioned (up to +30);
    /// voice adjectives: playful/fun (+10 with "!" or "?"), warm/friendly (+10 with you/your), confident/bold (+10 without
    /// hedges, −10 with), premium/luxury/elegant (−10 with "cheap", "deal" or "!!"), calm/minimal (+10 without "!" or shouted words).
    /// </summary>
    private static SubScore ScoreBrandVoice(string all, BrandProfile brand)
    {
        if (brand.IsEmpty)
        {
            return new("brand_voice", "Brand voice match", 50, ScoreWeights.BrandVoice, "No brand profile is set (Settings → Brand), so the voice cannot be matched: 50, neutral.");
        }
        var points = 70;
        var said = new List<string>();
        var avoided = brand.WordsToAvoidIn(all);
        if (avoided.Count > 0)
        {
            points -= 25 * avoided.Count;
            said.Add($"{avoided.Count} word(s) to avoid{List(avoided)}");
        }
        var featured = Found(all, brand.ProductsToFeature);
        if (featured.Count > 0)
        {
            points += Math.Min(30, 15 * featured.Count);
            said.Add($"{featured.Count} product(s) to feature mentioned{List(featured)}");
        }
        var voice = (brand.Voice ?? "").ToLowerInvariant();
        bool Says(params string[] adjectives) => adjectives.Any(a => Regex.IsMatch(voice, $@"\b{a}\b"));
        if (Says("playful", "fun") && (all.Contains('!') || all.Contains('?')))
        {
            points += 10;
            said.Add("playful punctuation fits the voice");
        }
        if (Says("warm", "friendly", "personal") && HasAny(all, ["you", "your"]))
        {
            points += 10;
            said.Add("speaks to the reader, as a warm voice does");
        }
        if (Says("confident", "bold", "direct"))
        {
            var hedges = Found(all, Hedges);
            points += hedges.Count == 0 ? 10 : -10;
            said.Add(hedges.Count == 0 ? "no hedging, as a confident voice needs" : $"hedging{List(hedges)} undercuts a confident voice");
        }
        if (Says("premium", "luxury", "luxurious", "elegant", "sophisticated") && (HasAny(all, ["cheap", "deal", "deals"]) || all.Contains("!!", StringComparison.Ordinal)))
        {
            points -= 10;
            said.Add("bargain words or \"!!\" clash with a premium voice");
        }
        if (Says("calm", "minimal", "understated") && !all.Contains('!') && !Shouted().IsMatch(all))
        {
            points += 10;
            said.Add("no exclamation or shouting, as a calm voice needs");
        }
        var score = Clamp(points);
        return new("brand_voice", "Brand voice match", score, ScoreWeights.BrandVoice,
            said.Count == 0 ? "From 70: no word to avoid, no product to feature and no voice cue found in the copy." : $"From 70: {string.Join("; ", said)}.");
    }

    /// <summary>100 without findings; each finding of the copy checker takes 40 off.</summary>
    private static SubScore ScorePolicyRisk(IReadOnlyList<ComplianceFinding> findings)
    {
        if (findings.Count == 0)
        {
            return new("policy_risk", "Policy risk", 100, ScoreWeights.PolicyRisk, "0 findings against Meta's Advertising Standards.");
        }
        var policies = string.Join(", ", findings.Select(f => $"{f.Policy} (\"{f.Quote}\")").Distinct());
        return new("policy_risk", "Policy risk", Clamp(100 - 40 * findings.Count), ScoreWeights.PolicyRisk,
            $"{findings.Count} finding(s) against Meta's Advertising Standards: {policies}.");
    }

    private static List<string> Found(string text, IEnumerable<string> terms) =>
        [.. terms.Where(t => HasAny(text, [t])).Distinct(StringComparer.OrdinalIgnoreCase)];

    private static bool HasAny(string text, IEnumerable<string> terms) => terms.Any(t => BrandProfile.Uses(text, t));

    private static string List(IReadOnlyList<string> items) => items.Count == 0 ? "" : $" ({string.Join(", ", items.Select(i => $"\"{i}\""))})";

    private static string FieldName(string field) => field switch { "primaryText" => "primary text", _ => field };

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static int Clamp(int points) => Math.Clamp(points, 0, 100);

    [GeneratedRegex(@"[.!?](?:\s|$)")]
    private static partial Regex FirstSentenceEnd();

    [GeneratedRegex(@"[.!?]+\s+|\n+")]
    private static partial Regex SentenceSplit();

    [GeneratedRegex(@"\d")]
    private static partial Regex Number();

    [GeneratedRegex(@"^\s*(?:we\b|our\b|introducing\b|at\s+\w+\s*,\s*we\b)", RegexOptions.IgnoreCase)]
    private static partial Regex BrandOpening();

    [GeneratedRegex(@"\b[A-Z]{4,}\b")]
    private static partial Regex Shouted();
}
