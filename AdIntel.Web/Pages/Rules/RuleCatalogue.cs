using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Expressions;

namespace AdIntel.Web.Pages.Rules;

/// <summary>The expression catalogue for the editor: variables (name, label, unit, definition) and functions (signature, description).</summary>
public static class RuleCatalogue
{
    public sealed record VariableEntry(string Name, string Label, string Kind, string Type, string Unit, string Definition);

    public sealed record FunctionEntry(string Name, string Signature, string Description);

    public sealed record Catalogue(IReadOnlyList<VariableEntry> Variables, IReadOnlyList<FunctionEntry> Functions, IReadOnlyList<string> ActionTypes,
        IReadOnlyList<string> RiskLevels, IReadOnlyList<string> AutomationModes);

    public static Catalogue Build(RuleExpressionCompiler compiler) => new(
        [.. RuleVariableCatalogue.All.Select(v => new VariableEntry(v.Name, v.Label, v.Kind, Lower(v.Type.ToString()), Lower(v.Unit.ToString()), v.Definition))],
        [.. compiler.Functions.All.Select(f => new FunctionEntry(f.Name, f.Signature, f.Description))],
        RuleActionSpec.Types, global::AdIntel.Web.Rules.Definitions.RiskLevels.All, global::AdIntel.Web.Rules.Definitions.AutomationModes.All);

    private static string Lower(string value) => value.ToLowerInvariant();
}
