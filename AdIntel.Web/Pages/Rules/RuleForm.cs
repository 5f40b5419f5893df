using System.Globalization;
using AdIntel.Web.Domain;
using AdIntel.Web.Rules.Definitions;

namespace AdIntel.Web.Pages.Rules;

/// <summary>The editor's form: flat fields that post without JavaScript, turned into a <see cref="RuleDefinition"/>.</summary>
public sealed class RuleForm
{
    public const int ActionRows = 3;

    public string? Name { get; set; }
    public string? Description { get; set; }
    public string Scope { get; set; } = "ad_set";
    public string? Expression { get; set; }
    /// <summary>expression, plugin or script.</summary>
    public string Kind { get; set; } = RuleKinds.Expression;
    public string? PluginId { get; set; }
    /// <summary>Plugin parameters keyed "pluginId:name" (every loaded plugin's fields post; only the chosen plugin's count).</summary>
    public Dictionary<string, string?> Parameters { get; set; } = new(StringComparer.Ordinal);
    public string? Script { get; set; }
    public string? NameContains { get; set; }
    /// <summary>Tags, comma-separated: only entities carrying one of them.</summary>
    public string? WithTags { get; set; }
    public bool OnlyActive { get; set; }
    public string RiskLevel { get; set; } = RiskLevels.Medium;
    public string AutomationMode { get; set; } = AutomationModes.SuggestionsOnly;
    /// <summary>"15", "30", "60" (minutes) or "daily".</summary>
    public string Schedule { get; set; } = "60";
    public string? DailyAt { get; set; } = "08:00";
    public bool Active { get; set; } = true;
    public List<ActionRow> Actions { get; set; } = [];

    public sealed class ActionRow
    {
        public string? Type { get; set; }
        public decimal? Percent { get; set; }
        public decimal? Amount { get; set; }
        public decimal? Min { get; set; }
        public decimal? Max { get; set; }
        public string? Message { get; set; }
        public string? Tag { get; set; }
    }

    /// <summary>Pads the action rows so the form always offers <see cref="ActionRows"/>.</summary>
    public RuleForm Padded()
    {
        while (Actions.Count < ActionRows)
        {
            Actions.Add(new ActionRow());
        }
        return this;
    }

    public RuleDefinition ToDefinition() => new()
    {
        Name = Name,
        Description = Description,
        Scope = Scope,
        Expression = Expression,
        Filter = new RuleFilter
        {
            NameContains = string.IsNullOrWhiteSpace(NameContains) ? null : NameContains.Trim(),
            Statuses = OnlyActive ? ["ACTIVE"] : null,
            Tags = WithTags?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } tags ? tags : null,
        },
        Actions = [.. Actions.Where(a => !string.IsNullOrWhiteSpace(a.Type)).Select(a => new RuleActionSpec
        {
            Type = a.Type!,
            Percent = a.Type == "scale_budget" ? a.Percent : null,
            Amount = a.Type is "scale_budget" or "set_budget" ? a.Amount : null,
            Min = a.Type == "scale_budget" ? a.Min : null,
            Max = a.Type == "scale_budget" ? a.Max : null,
            Message = a.Type == "notify" ? a.Message : null,
            Tag = a.Type == "tag" ? a.Tag : null,
        })],
        RiskLevel = RiskLevel,
        AutomationMode = AutomationMode,
        Schedule = Schedule == "daily"
            ? new RuleSchedule { DailyAt = DailyAt }
            : new RuleSchedule { EveryMinutes = int.TryParse(Schedule, NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) ? minutes : 60 },
        Active = Active,
        Kind = Kind,
        PluginId = Kind == RuleKinds.Plugin ? PluginId : null,
        Parameters = Kind == RuleKinds.Plugin ? ChosenParameters() : null,
        Script = Kind == RuleKinds.Script ? Script : null,
    };

    /// <summary>The chosen plugin's filled-in parameters; text that is not a number reaches validation as NaN (out of range, said so).</summary>
    private Dictionary<string, double> ChosenParameters()
    {
        var prefix = PluginId + ":";
        return Parameters.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal) && !string.IsNullOrWhiteSpace(p.Value))
            .ToDictionary(p => p.Key[prefix.Length..],
                p => double.TryParse(p.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : double.NaN, StringComparer.Ordinal);
    }

    public static RuleForm From(RuleDefinition d) => new RuleForm
    {
        Kind = d.EffectiveKind,
        PluginId = d.PluginId,
        Parameters = (d.Parameters ?? new Dictionary<string, double>())
            .ToDictionary(p => d.PluginId + ":" + p.Key, p => (string?)p.Value.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal),
        Script = d.Script,
        Name = d.Name,
        Description = d.Description,
        Scope = d.Scope ?? "ad_set",
        Expression = d.Expression,
        NameContains = d.Filter?.NameContains,
        WithTags = d.Filter?.Tags is { Count: > 0 } tags ? string.Join(", ", tags) : null,
        OnlyActive = d.Filter?.Statuses is { Count: > 0 } s && s.All(x => string.Equals(x, "ACTIVE", StringComparison.OrdinalIgnoreCase)),
        RiskLevel = d.RiskLevel ?? RiskLevels.Medium,
        AutomationMode = d.AutomationMode ?? AutomationModes.SuggestionsOnly,
        Schedule = d.Schedule?.DailyAt is not null ? "daily" : (d.Schedule?.EveryMinutes ?? 60).ToString(CultureInfo.InvariantCulture),
        DailyAt = d.Schedule?.DailyAt ?? "08:00",
        Active = d.Active ?? true,
        Actions = [.. (d.Actions ?? []).Select(a => new ActionRow { Type = a.Type, Percent = a.Percent, Amount = a.Amount, Min = a.Min, Max = a.Max, Message = a.Message, Tag = a.Tag })],
    }.Padded();
}
