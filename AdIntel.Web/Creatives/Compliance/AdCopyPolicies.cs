using System.Text.RegularExpressions;

namespace AdIntel.Web.Creatives.Compliance;

/// <summary>A Meta Advertising Standards policy an ad's copy can break: its name, its page, and what to write instead.</summary>
public sealed record AdPolicy(string Key, string Name, string Path, string Rewrite)
{
    public string Url => "https://transparency.meta.com/policies/ad-standards/" + Path;
}

/// <summary>
/// One cue of a policy: a pattern over the copy and the sentence that explains why the matched words break the policy.
/// <see cref="Requires"/>, when set, must also match somewhere in the same text (the context that makes the cue a problem,
/// e.g. a job or a flat to let for "women only").
/// </summary>
public sealed record PolicyCue(AdPolicy Policy, Regex Pattern, string Explanation, Regex? Requires = null);

/// <summary>
/// The checklist the copy checker applies: Meta's Advertising Standards that copy alone can break, each with the cues
/// that flag it. Cues are deliberately specific (a word in its telling context, not the word alone), so ordinary retail
/// copy such as "Free shipping over $50" or "Small-batch gin. Enjoy responsibly." passes; docs/creatives.md lists them.
/// </summary>
public static partial class AdCopyPolicies
{
    public static readonly AdPolicy PersonalAttributes = new("personal_attributes", "Personal Attributes",
        "objectionable-content/personal-attributes",
        "Speak about the product, not the reader's traits: \"Seamless socks for all-day comfort.\"");

    public static readonly AdPolicy HealthAndAppearance = new("personal_health_and_appearance", "Personal Health and Appearance",
        "objectionable-content/personal-health-and-appearance",
        "Describe what the product does without shaming bodies or promising a result: \"Plant protein for your training.\"");

    public static readonly AdPolicy UnrealisticOutcomes = new("unrealistic_outcomes", "Unrealistic Outcomes",
        "deceptive-content/unrealistic-outcomes",
        "Promise what the buyer gets, not riches or cures: \"Learn to run an online store in 6 weeks.\"");

    public static readonly AdPolicy BusinessPractices = new("unacceptable_business_practices", "Unacceptable Business Practices",
        "deceptive-content/unacceptable-business-practices",
        "State the real offer plainly: \"Free shipping over $50; 30-day returns.\"");

    public static readonly AdPolicy ProhibitedProducts = new("prohibited_products", "Illegal, weapons, tobacco or unsafe substances",
        "restricted-goods-services/weapons",
        "These products cannot be advertised at all; advertise what you may sell, e.g. \"Chef's knives forged from one piece of steel.\"");

    public static readonly AdPolicy AdultContent = new("adult_content", "Adult Nudity and Sexual Activity",
        "objectionable-content/adult-nudity-and-sexual-activity",
        "Describe the product without sexual framing: \"Everyday lingerie, XS–4XL.\"");

    public static readonly AdPolicy Alcohol = new("alcohol", "Alcohol",
        "restricted-goods-services/alcohol",
        "Never encourage excessive drinking: \"Small-batch gin. Enjoy responsibly.\"");

    public static readonly AdPolicy Discrimination = new("discriminatory_practices", "Discriminatory Practices",
        "unacceptable-content/discriminatory-practices",
        "Welcome everyone: \"Hiring associates — all welcome.\" Jobs, housing and credit also need a Special Ad Category.");

    public static readonly AdPolicy Sensational = new("sensational_content", "Sensational Content",
        "objectionable-content/sensational-content",
        "Show the benefit instead of shock or disgust: \"Washable, hypoallergenic mattress protector.\"");

    public static readonly AdPolicy Profanity = new("profanity", "Profanity",
        "objectionable-content/profanity",
        "Plain words in sentence case, one exclamation mark at most: \"Heavyweight hoodies, 20% off.\"");

    public static readonly AdPolicy LowQuality = new("low_quality_or_disruptive", "Low Quality or Disruptive Content",
        "objectionable-content/low-quality-or-disruptive-experiences",
        "Give the facts instead of bait, fake buttons or timers: \"Spring sale ends Sunday 12 May.\"");

    public static readonly AdPolicy Financial = new("financial_products", "Cryptocurrency and Financial Products",
        "restricted-goods-services/financial-services",
        "No promised returns; crypto and credit need Meta's written permission: \"A budgeting app that sorts your spending.\"");

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    /// <summary>Health, body and money conditions Meta forbids asserting or implying of the reader.</summary>
    private const string Conditions =
        @"diabetic|diabetes|overweight|obese|depressed|depression|anxious|anxiety|adhd|autistic|disabled|disability|arthritis|" +
        @"cancer|infertile|infertility|pregnant|balding|alcoholic|addicted|addiction|in\s+debt|debt|bankrupt|bankruptcy|" +
        @"credit\s+score|divorced|unemployed|criminal\s+record";

    /// <summary>Every trait Meta forbids asking or asserting: the conditions plus beliefs, origin and orientation.</summary>
    private const string Attributes = Conditions +
        @"|christian|muslim|jewish|hindu|buddhist|atheist|catholic|gay|lesbian|bisexual|transgender|latino|latina|hispanic|immigrant|single\s+moms?";

    /// <summary>Every cue, in the order findings are reported.</summary>
    public static IReadOnlyList<PolicyCue> Cues { get; } =
    [
        // 1. Personal attributes: "you"/"your" close to a trait, "just turned 60", "people like you".
        new(PersonalAttributes, new($@"\b(?:are|r)\s+you\s+(?:\w+\s+){{0,3}}?(?:{Attributes})\b[^.!?]*\??", Options),
            "Asks the reader about a personal trait (health, beliefs, origin, orientation, age or finances)."),
        new(PersonalAttributes, new($@"\b(?:{Conditions})\b[^.!?]{{0,40}}[.!?]?\s*(?:\w+\s+){{0,3}}\byou(?:r|'re)?\b", Options),
            "Implies the reader has a personal trait (health, beliefs, origin, orientation, age or finances)."),
        new(PersonalAttributes, new($@"\b(?:your|you're|you are)\s+(?:\w+\s+){{0,3}}?(?:{Attributes})\b", Options),
            "Asserts a personal trait of the reader (health, beliefs, origin, orientation, age or finances)."),
        new(PersonalAttributes, new(@"\bjust\s+turned\s+\d{2}\b|\bturned\s+\d{2}\s*\?|\bare\s+you\s+(?:over|under)\s+\d{2}\b|\bpeople\s+like\s+you\b", Options),
            "Singles out the reader by age or as a group."),

        // 2. Health and appearance: before/after, weight lost in a time, body shaming.
        new(HealthAndAppearance, new(@"\bbefore\s*(?:and|&|vs\.?|versus|/|-|–|to)\s*after\b", Options),
            "Before-and-after comparisons are not allowed for health, weight-loss or cosmetic products."),
        new(HealthAndAppearance, new(@"\b(?:lose|drop|shed|burn|melt|melts)\s+(?:up\s+to\s+)?\d+(?:[.,]\d+)?\s*(?:kg|kilos?|lbs?|pounds)\b(?:\s+in\s+\d+\s+(?:days?|weeks?))?", Options),
            "Promises a weight loss (in a set time): an unrealistic health outcome."),
        new(HealthAndAppearance, new(@"\b(?:muffin\s+top|belly\s+fat|love\s+handles|flabby|saggy|cellulite|double\s+chin|thunder\s+thighs|bingo\s+wings|perfect\s+body|bikini\s+body|beach\s+body)\b", Options),
            "Body shaming or an ideal body: Meta forbids playing on negative self-perception."),
        new(HealthAndAppearance, new(@"\bhate\s+your\s+(?:body|belly|thighs|arms|skin|face|nose|weight|wrinkles)\b", Options),
            "Plays on the reader's negative self-perception."),

        // 3. Unrealistic outcomes: money for little work, income claims, cures.
        new(UnrealisticOutcomes, new(@"\b(?:make|makes|making|earn|earns|earning|profit|bring\s+in)\s+(?:up\s+to\s+|over\s+)?(?:[$€£]\s?\d[\d,.]*k?|\d[\d,.]*\s?(?:dollars|euros|pounds))\s*(?:/|per|a|an|every)\s*(?:hour|day|week|month)\b", Options),
            "Promises an income: money for little work is an unrealistic outcome."),
        new(UnrealisticOutcomes, new(@"\b(?:passive\s+income|get\s+rich|financial\s+freedom|guaranteed\s+income|quit\s+your\s+(?:9\s?[-–]\s?5|job)|runs\s+itself|no\s+work\s+required|earn\s+from\s+your\s+phone)\b", Options),
            "Promises quick riches or income without work."),
        new(UnrealisticOutcomes, new(@"\b(?:cures?|reverses?|heals?|eliminates?)\s+(?:your\s+)?(?:\w+\s+){0,2}?(?:arthritis|diabetes|cancer|acne|hair\s+loss|baldness|aging|ageing|wrinkles|anxiety|depression|disease|eczema|psoriasis|insomnia)\b|\bmiracle\s+(?:cure|pill|cream|diet)\b|\bguaranteed\s+results\b", Options),
            "Claims a cure or a guaranteed result: an unrealistic health outcome."),

        // 4. Unacceptable business practices: celebrity bait, "free" costly items, fake official offers.
        new(BusinessPractices, new(@"\bas\s+seen\s+with\b|\b(?:celebrit(?:y|ies)|famous\s+stars?)\b[^.!?]{0,30}\b(?:endorse[sd]?|recommends?|swear\s+by|uses?|loves?)\b", Options),
            "Uses a public figure as bait without their endorsement being the offer."),
        new(BusinessPractices, new(@"\bfree\s+(?:iphone|ipad|macbook|laptop|tv|car|vacation|cruise|gift\s+card|\$\d+)", Options),
            "Offers a costly item for free: a scheme Meta treats as deceptive."),
        new(BusinessPractices, new(@"\b(?:official|government|federal|irs)\b[^.!?]{0,30}\b(?:rebate|grant|refund|stimulus|claim)\b", Options),
            "Poses as a government or official body."),
        new(BusinessPractices, new(@"\b100\s?%\s+guaranteed\b", Options),
            "An absolute guarantee is an exaggerated claim."),

        // 5. Prohibited products.
        new(ProhibitedProducts, new(@"\b(?:vapes?|vaping|e-liquids?|hookahs?|nicotine|ammo|ammunition|silencers?|tasers?|pepper\s+spray|fireworks|steroids?|sarms|kratom|firearms?)\b", Options),
            "Weapons, tobacco and nicotine products, and unsafe substances cannot be advertised."),

        // 6. Adult content and dating framing.
        new(AdultContent, new(@"\b(?:hot\s+singles|singles\s+near\s+you|hook\s?ups?|sexy|naughty|horny|wild\s+night|nsfw)\b", Options),
            "Sexual framing or suggestive dating language."),

        // 7. Alcohol: encouraging excess (age and country targeting are separate gates).
        new(Alcohol, new(@"\b(?:get\s+(?:wasted|hammered|drunk|smashed|trashed)|blackout\s+drunk|drink\s+(?:all\s+night|till\s+you\s+drop))\b", Options),
            "Encourages excessive drinking."),

        // 8. Discriminatory practices: excluding a protected group from a job, a home or credit.
        new(Discrimination, new(@"\b(?:(?:young|old|older)\s+)?(?:women|men|females?|males?|christians|muslims|jews|whites|blacks|asians|latinos|immigrants|foreigners|gays)\s+only\b|\bno\s+(?:immigrants|foreigners|kids|children|families|women|men|blacks|muslims|jews|gays|disabled)\b|\bnot\s+for\s+(?:women|men|immigrants|foreigners|families)\b", Options),
            "Excludes people by a protected trait from a job, housing or credit.",
            new(@"\b(?:hiring|hire|job|jobs|position|vacanc(?:y|ies)|apply|rent|rental|room|rooms|flat|apartment|to\s+let|tenant|tenants|loan|loans|credit|mortgage)\b", Options)),

        // 9. Sensational content.
        new(Sensational, new(@"\b(?:shocking|disgusting|horrifying)\b|^\s*warning\b|\bwarning\s*[:!]|\bgraphic\s*(?::|content|images?|photos?)|🤮|💀|🩸", Options | RegexOptions.Multiline),
            "Shock, fear or disgust to get attention."),

        // 10. Profanity and unreadable copy.
        new(Profanity, new(@"\b(?:fuck\w*|shit\w*|bitch\w*|bullshit|asshole|wtf)\b|\b(?:f|sh|b)[*#@$%!]{1,4}\w*", Options),
            "Profanity, including masked swear words."),
        new(Profanity, new(@"!{2,}|\?{2,}", Options),
            "Repeated exclamation or question marks."),
        new(Profanity, new(@"\b(?:[A-Za-z]\s{1,2}){3,}[A-Za-z]\b", RegexOptions.CultureInvariant),
            "Spaced-out letters make the copy hard to read."),
        new(Profanity, new(@"\b[A-Za-z]+[@$][A-Za-z]+\b(?!\.[A-Za-z])|\b[A-Za-z]{2,}[0134][A-Za-z]{2,}\b|(?![⭐★])(\p{So})\1{2,}", RegexOptions.CultureInvariant),
            "Symbols or digits in place of letters, or runs of symbols."),

        // 11. Low quality or disruptive: bait, interaction prompts, fake buttons, false scarcity.
        new(LowQuality, new(@"\b(?:click\s+here|tap\s+(?:the\s+)?(?:button|here)|you\s+won'?t\s+believe|like\s+and\s+share|comment\s+(?:yes|below)|tag\s+a\s+friend|share\s+this)\b|▶|☑|✅|🔔", Options),
            "Clickbait, an interaction prompt or a fake button."),
        new(LowQuality, new(@"\bonly\s+\d+\s+left\b|\bends?\s+(?:in\s+)?\d{1,2}:\d{2}\b", Options),
            "False scarcity or a countdown without a date."),

        // 12. Crypto and financial products.
        new(Financial, new(@"\b(?:bitcoin|crypto(?:currency|currencies)?|staking|(?:token|crypto|nft)\s+airdrops?|ico|token\s+sale|payday\s+loans?|no\s+credit\s+check|guaranteed\s+returns?|risk[- ]free\s+(?:returns?|investment|profit|trading))\b|\bturn\s+\$?\d[\d,]*\s+into\s+\$?\d", Options),
            "Crypto, promised returns or prohibited loans need Meta's permission or are banned."),
    ];

    /// <summary>Mostly capitals (at least 12 letters, over 60 % upper case): reads as shouting.</summary>
    public static bool IsShouting(string text)
    {
        var letters = text.Where(char.IsLetter).ToList();
        return letters.Count >= 12 && letters.Count(char.IsUpper) > letters.Count * 0.6;
    }
}
