using System.Text.Json.Serialization;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Rules.Definitions;

/// <summary>
/// Which entities of the rule's scope it looks at (<c>"filter": {...}</c> of the rule JSON), before the expression:
/// <c>{"nameContains": "Prospecting", "statuses": ["ACTIVE"], "campaignIds": [12], "adSetIds": [40], "tags": ["fatigued"]}</c>; every part
/// is optional and all given parts must hold. An empty filter keeps every entity.
/// </summary>
public sealed record RuleFilter
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? NameContains { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Statuses { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<long>? CampaignIds { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<long>? AdSetIds { get; init; }

    /// <summary>Entities carrying any of these tags (set by a tag action), case-insensitive.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Tags { get; init; }

    public string? Problem(RuleScope scope)
    {
        if (NameContains is { Length: > 200 })
        {
            return "nameContains is limited to 200 characters.";
        }
        if (Statuses?.FirstOrDefault(s => !Expressions.RuleVariableCatalogue.StatusValues.Contains(s, StringComparer.OrdinalIgnoreCase)) is { } status)
        {
            return $"Unknown status \"{status}\" in statuses: use ACTIVE, PAUSED or ARCHIVED.";
        }
        if (CampaignIds is { Count: > 0 } && scope == RuleScope.Account)
        {
            return "campaignIds cannot filter accounts.";
        }
        if (AdSetIds is { Count: > 0 } && scope is RuleScope.Account or RuleScope.Campaign)
        {
            return "adSetIds filters ad sets and ads only.";
        }
        if (Tags is { Count: > 0 } && Tags.FirstOrDefault(t => string.IsNullOrWhiteSpace(t) || t.Length > Domain.EntityTag.MaxLength) is { } badTag)
        {
            return $"Each tag in tags is 1 to {Domain.EntityTag.MaxLength} characters (\"{badTag}\" is not).";
        }
        if (Tags is { Count: > 20 })
        {
            return "tags is limited to 20 tags.";
        }
        return null;
    }

    public bool Matches(EntitySnapshot entity)
    {
        if (!string.IsNullOrWhiteSpace(NameContains) && !entity.Name.Contains(NameContains.Trim(), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        if (Statuses is { Count: > 0 } && !Statuses.Contains(entity.Status, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }
        if (CampaignIds is { Count: > 0 } && !(entity.Scope == RuleScope.Campaign ? CampaignIds.Contains(entity.Id) : entity.CampaignId is { } c && CampaignIds.Contains(c)))
        {
            return false;
        }
        if (AdSetIds is { Count: > 0 } && !(entity.Scope == RuleScope.AdSet ? AdSetIds.Contains(entity.Id) : entity.AdSetId is { } a && AdSetIds.Contains(a)))
        {
            return false;
        }
        if (Tags is { Count: > 0 } && !entity.Tags.Any(t => Tags.Contains(t.Trim(), StringComparer.OrdinalIgnoreCase)))
        {
            return false;
        }
        return true;
    }

    /// <summary>Whether no part is given (every entity is kept). Not part of the filter's JSON: the API and the stored
    /// rule carry only the parts a person set.</summary>
    [JsonIgnore]
    public bool IsEmpty => string.IsNullOrWhiteSpace(NameContains) && Statuses is not { Count: > 0 } && CampaignIds is not { Count: > 0 } && AdSetIds is not { Count: > 0 } && Tags is not { Count: > 0 };
}
