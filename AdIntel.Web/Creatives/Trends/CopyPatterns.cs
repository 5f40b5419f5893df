using System.Text.RegularExpressions;
using AdIntel.Web.Creatives.Scoring;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Creatives.Trends;

/// <summary>
/// What ad copy does, read from its words: the kind of hook its opening line is, the offers it makes and the call to
/// action its text asks for (the Ad Library gives competitors' text, not their button). Pure and deterministic.
/// </summary>
public static partial class CopyPatterns
{
    public static class Hooks
    {
        public const string Testimonial = "testimonial";
        public const string Offer = "offer";
        public const string HowTo = "how_to";
        public const string Question = "question";
        public const string Number = "number";
        public const string Statement = "statement";

        /// <summary>In the order an opening is judged: the first that fits is its hook.</summary>
        public static IReadOnlyList<(string Key, string Label)> All { get; } =
        [
            (Testimonial, "Testimonial or quote"), (Offer, "Offer-led"), (HowTo, "How-to"), (Question, "Question"), (Number, "Number"),
            (Statement, "Plain statement"),
        ];
    }

    public static class Offers
    {
        public const string PercentOff = "percent_off";
        public const string AmountOff = "amount_off";
        public const string FreeShipping = "free_shipping";
        public const string FreeReturns = "free_returns";
        public const string Bundle = "bundle";
        public const string Bogo = "bogo";
        public const string PricePoint = "price_point";
        public const string None = "none";

        public static IReadOnlyList<(string Key, string Label)> All { get; } =
        [
            (PercentOff, "% off"), (AmountOff, "Amount off"), (FreeShipping, "Free shipping"), (FreeReturns, "Free returns"), (Bundle, "Bundle or multi-pack"),
            (Bogo, "Buy one, get one"), (PricePoint, "Price shown"), (None, "No offer"),
        ];
    }

    /// <summary>A call to action none of the text asks for (competitors), or no button (the store's ads).</summary>
    public const string NoCallToAction = "NONE";

    /// <summary>The opening line: the first sentence, at most what the feed shows before "See more".</summary>
    public static string Opening(string? primaryText)
    {
        var text = (primaryText ?? "").Trim();
        var end = SentenceEnd().Match(text);
        var opening = end.Success ? text[..(end.Index + 1)] : text;
        return opening.Length > CreativeScorer.VisiblePrimaryText ? opening[..CreativeScorer.VisiblePrimaryText] : opening;
    }

    /// <summary>The kind of hook the primary text opens with (one of <see cref="Hooks"/>).</summary>
    public static string Hook(string? primaryText)
    {
        var opening = Opening(primaryText);
        if (opening.Length == 0)
        {
            return Hooks.Statement;
        }
        if (TestimonialCue().IsMatch(opening))
        {
            return Hooks.Testimonial;
        }
        if (OffersIn(opening).Any(o => o != Offers.PricePoint) || SaleCue().IsMatch(opening))
        {
            return Hooks.Offer;
        }
        if (HowToCue().IsMatch(opening))
        {
            return Hooks.HowTo;
        }
        if (opening.Contains('?', StringComparison.Ordinal))
        {
            return Hooks.Question;
        }
        return NumberCue().IsMatch(opening) ? Hooks.Number : Hooks.Statement;
    }

    /// <summary>Every offer the copy makes (keys of <see cref="Offers"/>, <see cref="Offers.None"/> excluded).</summary>
    public static IReadOnlyList<string> OffersIn(string? copy)
    {
        var text = copy ?? "";
        var found = new List<string>();
        if (PercentOff().IsMatch(text))
        {
            found.Add(Offers.PercentOff);
        }
        if (AmountOff().IsMatch(text))
        {
            found.Add(Offers.AmountOff);
        }
        if (FreeShipping().IsMatch(text))
        {
            found.Add(Offers.FreeShipping);
        }
        if (FreeReturns().IsMatch(text))
        {
            found.Add(Offers.FreeReturns);
        }
        if (Bundle().IsMatch(text))
        {
            found.Add(Offers.Bundle);
        }
        if (Bogo().IsMatch(text))
        {
            found.Add(Offers.Bogo);
        }
        if (PricePoint().IsMatch(text))
        {
            found.Add(Offers.PricePoint);
        }
        return found;
    }

    /// <summary>The call to action the text asks for first, as Meta's button type ("SHOP_NOW"), or <see cref="NoCallToAction"/>.</summary>
    public static string CallToActionIn(string? copy)
    {
        var first = CallToActionCue().Matches(copy ?? "").FirstOrDefault();
        if (first is null)
        {
            return NoCallToAction;
        }
        return first.Value.ToLowerInvariant() switch
        {
            var v when v.StartsWith("shop", StringComparison.Ordinal) => "SHOP_NOW",
            var v when v.StartsWith("buy", StringComparison.Ordinal) => "BUY_NOW",
            var v when v.StartsWith("order", StringComparison.Ordinal) => "ORDER_NOW",
            var v when v.StartsWith("sign", StringComparison.Ordinal) || v.StartsWith("subscribe", StringComparison.Ordinal) || v.StartsWith("join", StringComparison.Ordinal) => "SIGN_UP",
            var v when v.StartsWith("book", StringComparison.Ordinal) => "BOOK_NOW",
            var v when v.StartsWith("watch", StringComparison.Ordinal) => "WATCH_MORE",
            var v when v.StartsWith("download", StringComparison.Ordinal) => "DOWNLOAD",
            var v when v.StartsWith("get", StringComparison.Ordinal) || v.StartsWith("claim", StringComparison.Ordinal) || v.StartsWith("grab", StringComparison.Ordinal) => "GET_OFFER",
            _ => "LEARN_MORE",
        };
    }

    /// <summary>"SHOP_NOW" → "Shop now"; none → <paramref name="noneLabel"/>.</summary>
    public static string CallToActionLabel(string type, string noneLabel) => type == NoCallToAction ? noneLabel : CallToActions.Label(type);

    [GeneratedRegex(@"[.!?](\s|$)|\n")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"^\s*[""“‘']|[★⭐]|\b(rated|reviews?|verified (buyer|customer)|customers? (say|love)|testimonial)\b", RegexOptions.IgnoreCase)]
    private static partial Regex TestimonialCue();

    [GeneratedRegex(@"\b(sale|deal|discount|promo code|coupon|clearance)\b", RegexOptions.IgnoreCase)]
    private static partial Regex SaleCue();

    [GeneratedRegex(@"\bhow (to|i|we|you)\b|\bhere'?s how\b|\bguide\b|\bstep[- ]by[- ]step\b", RegexOptions.IgnoreCase)]
    private static partial Regex HowToCue();

    [GeneratedRegex(@"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|dozen|hundred|thousand)\b", RegexOptions.IgnoreCase)]
    private static partial Regex NumberCue();

    [GeneratedRegex(@"\d{1,2}\s?%\s?(off|discount)|\b(save|up to|extra|take)\s\d{1,2}\s?%", RegexOptions.IgnoreCase)]
    private static partial Regex PercentOff();

    [GeneratedRegex(@"[$€£]\s?\d+(?:[.,]\d{2})?\s?off\b|\bsave\s[$€£]\s?\d+", RegexOptions.IgnoreCase)]
    private static partial Regex AmountOff();

    [GeneratedRegex(@"\bfree (shipping|delivery)\b|\bships free\b", RegexOptions.IgnoreCase)]
    private static partial Regex FreeShipping();

    [GeneratedRegex(@"\bfree (returns|exchanges)\b", RegexOptions.IgnoreCase)]
    private static partial Regex FreeReturns();

    [GeneratedRegex(@"\bbundles?\b|\b\d+[- ]pack\b|\bset of \d+\b|\bbuy \d+,? save\b|\bkit\b", RegexOptions.IgnoreCase)]
    private static partial Regex Bundle();

    [GeneratedRegex(@"\bbogo\b|\bbuy (one|1),? get (one|1)\b|\b(2|two) for (1|one)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Bogo();

    /// <summary>A price, but not a threshold such as "free shipping over $75" nor an amount off.</summary>
    [GeneratedRegex(@"(?<!\b(over|above|orders of|spend|save)\s)[$€£]\s?\d+(?:[.,]\d{2})?(?!\s?off\b)(?![.,]?\d)", RegexOptions.IgnoreCase)]
    private static partial Regex PricePoint();

    [GeneratedRegex(@"\b(shop|buy|order|sign up|subscribe|join|book|watch|download|get yours|get (?:the|your|\d+%)|claim|grab|learn more|read more|discover|find out|explore)\b", RegexOptions.IgnoreCase)]
    private static partial Regex CallToActionCue();
}
