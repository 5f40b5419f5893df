namespace AdIntel.Plugins.Abstractions;

/// <summary>A numeric setting of a plugin, changeable per rule (thresholds, day counts, percentages).</summary>
/// <param name="Name">Key in <see cref="PluginEvaluationContext.Parameters"/>, lower case with underscores.</param>
/// <param name="Description">What it controls, with its unit.</param>
/// <param name="DefaultValue">Used when the rule does not set the parameter.</param>
/// <param name="Minimum">Smallest accepted value, if any.</param>
/// <param name="Maximum">Largest accepted value, if any.</param>
public sealed record PluginParameter(string Name, string Description, double DefaultValue, double? Minimum = null, double? Maximum = null);
