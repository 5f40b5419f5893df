namespace AdIntel.Web.Rules.Expressions;

/// <summary>
/// A name an expression can use. Its <see cref="Slot"/> is its index in every snapshot row (see
/// <see cref="RuleVariableCatalogue"/>), so compiled expressions read values by position.
/// </summary>
/// <param name="Metric">The metric for metric × window variables; null for entity attributes.</param>
/// <param name="Window">The window for metric × window variables; null for entity attributes.</param>
public sealed record RuleVariable(int Slot, string Name, RuleValueType Type, RuleUnit Unit, string Label, string Definition,
    RuleMetric? Metric, RuleWindow? Window)
{
    /// <summary>"metric" or "attribute": how the editor groups the catalogue.</summary>
    public string Kind => Metric is null ? "attribute" : "metric";
}
