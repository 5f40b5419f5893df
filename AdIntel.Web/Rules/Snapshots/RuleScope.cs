namespace AdIntel.Web.Rules.Snapshots;

/// <summary>The level a rule looks at (the rule JSON's <c>"scope": "account|campaign|ad_set|ad"</c>).</summary>
public enum RuleScope
{
    Account,
    Campaign,
    AdSet,
    Ad,
}

public static class RuleScopes
{
    public const string Account = "account";
    public const string Campaign = "campaign";
    public const string AdSet = "ad_set";
    public const string Ad = "ad";

    public static IReadOnlyList<RuleScope> All { get; } = [RuleScope.Account, RuleScope.Campaign, RuleScope.AdSet, RuleScope.Ad];

    /// <summary>The API's name of a scope.</summary>
    public static string ToApiName(this RuleScope scope) => scope switch
    {
        RuleScope.Account => Account,
        RuleScope.Campaign => Campaign,
        RuleScope.AdSet => AdSet,
        _ => Ad,
    };

    /// <summary>Reads the API's name (exact, lower case).</summary>
    public static bool TryParse(string? value, out RuleScope scope)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.ToApiName(), value, StringComparison.Ordinal))
            {
                scope = candidate;
                return true;
            }
        }
        scope = RuleScope.Ad;
        return false;
    }
}
