namespace AdIntel.Web.Creatives.Compliance;

/// <summary>
/// A policy finding in an ad's copy: the policy (name, key, page), the field and the offending span quoted with its
/// position, why it breaks the policy, and what to write instead.
/// </summary>
public sealed record ComplianceFinding(string Field, string Policy, string PolicyKey, string PolicyUrl, string Quote, int Start, int Length,
    string Explanation, string Suggestion);

/// <summary>The copy of one ad, field by field (any may be empty).</summary>
public sealed record AdCopy(string? PrimaryText, string? Headline, string? Description)
{
    public const int MaxFieldLength = 5000;

    public IEnumerable<(string Field, string Text)> Fields()
    {
        if (!string.IsNullOrWhiteSpace(PrimaryText))
        {
            yield return ("primaryText", PrimaryText);
        }
        if (!string.IsNullOrWhiteSpace(Headline))
        {
            yield return ("headline", Headline);
        }
        if (!string.IsNullOrWhiteSpace(Description))
        {
            yield return ("description", Description);
        }
    }
}

/// <summary>
/// Checks ad copy against Meta's Advertising Standards (<see cref="AdCopyPolicies"/>): every finding names the policy,
/// quotes the span, explains it and suggests a rewrite. Pure and deterministic; the same check serves the API, the
/// studio and generated variants.
/// </summary>
public static class AdCopyCompliance
{
    public static IReadOnlyList<ComplianceFinding> Check(AdCopy copy) =>
        [.. copy.Fields().SelectMany(field => Check(field.Field, field.Text))];

    public static IReadOnlyList<ComplianceFinding> Check(string field, string text)
    {
        var findings = new List<ComplianceFinding>();
        foreach (var cue in AdCopyPolicies.Cues)
        {
            if (cue.Requires is { } context && !context.IsMatch(text))
            {
                continue;
            }
            foreach (var match in cue.Pattern.Matches(text).Where(m => m.Length > 0))
            {
                // One finding per policy and span: overlapping cues of the same policy say the same thing.
                if (findings.Any(f => f.PolicyKey == cue.Policy.Key && Overlaps(f, match.Index, match.Length)))
                {
                    continue;
                }
                findings.Add(Finding(field, cue.Policy, text, match.Index, match.Length, cue.Explanation));
            }
        }
        if (AdCopyPolicies.IsShouting(text))
        {
            findings.Add(Finding(field, AdCopyPolicies.Profanity, text, 0, text.Length, "Mostly capital letters: the copy reads as shouting."));
        }
        return [.. findings.OrderBy(f => f.Start).ThenBy(f => f.Policy, StringComparer.Ordinal)];
    }

    private static ComplianceFinding Finding(string field, AdPolicy policy, string text, int start, int length, string explanation) =>
        new(field, policy.Name, policy.Key, policy.Url, text.Substring(start, length).Trim(), start, length, explanation, policy.Rewrite);

    private static bool Overlaps(ComplianceFinding finding, int start, int length) =>
        start < finding.Start + finding.Length && finding.Start < start + length;
}
