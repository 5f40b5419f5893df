namespace AdIntel.Web.Domain;

/// <summary>An automation rule (its JSON is <see cref="AdIntel.Web.Rules.Definitions.RuleDefinition"/>). JSON columns keep the shapes the API speaks.</summary>
public sealed class Rule : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    /// <summary>account, campaign, ad_set or ad.</summary>
    public string Scope { get; set; } = "ad";
    public string FilterJson { get; set; } = "{}";
    /// <summary>expression (the NCalc condition decides), plugin (a rule plugin proposes) or script (trusted C#).</summary>
    public string Kind { get; set; } = RuleKinds.Expression;
    /// <summary>The condition. For plugin and script rules an optional pre-filter ("" = every entity in scope).</summary>
    public required string Expression { get; set; }
    /// <summary>plugin rules: the plugin's id (manifest id).</summary>
    public string? PluginId { get; set; }
    /// <summary>plugin rules: parameter name → value, checked against the plugin's declared parameters.</summary>
    public string ParametersJson { get; set; } = "{}";
    /// <summary>script rules: the C# source (runs with the server's rights; the installation administrator's only, off unless Rules:CSharpScripts:Enabled).</summary>
    public string? Script { get; set; }
    public string ActionsJson { get; set; } = "[]";
    /// <summary>low, medium or high.</summary>
    public string RiskLevel { get; set; } = "medium";
    /// <summary>suggestions_only, auto_low_risk or auto_all.</summary>
    public string AutomationMode { get; set; } = "suggestions_only";
    public string ScheduleJson { get; set; } = "{}";
    public bool Active { get; set; } = true;
    /// <summary>Bumped on every edit; compiled expressions are cached per version.</summary>
    public int Version { get; set; } = 1;
    public DateTime? LastTriggeredAtUtc { get; set; }
    public DateTime CreatedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
}

public static class RuleKinds
{
    public const string Expression = "expression";
    public const string Plugin = "plugin";
    public const string Script = "script";

    public static readonly string[] All = [Expression, Plugin, Script];
}
