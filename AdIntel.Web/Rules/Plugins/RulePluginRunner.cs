using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using AdIntel.Plugins.Abstractions;
using AdIntel.Web.Rules.Expressions;
using AdIntel.Web.Rules.Snapshots;

namespace AdIntel.Web.Rules.Plugins;

/// <summary>
/// Runs plugin rules over snapshot entities: fills in parameter defaults, checks rule-supplied parameters, and turns a
/// plugin's exception into a failed result (logged) so one faulty plugin cannot break a rule run.
/// </summary>
public sealed class RulePluginRunner(PluginCatalog catalog, ILogger<RulePluginRunner> logger)
{
    /// <summary>Problems with a rule's plugin settings (unknown plugin or parameter, value out of range); empty when fine.</summary>
    public IReadOnlyList<string> CheckParameters(string pluginId, IReadOnlyDictionary<string, double>? values)
    {
        if (catalog.Find(pluginId) is not { } plugin)
        {
            return [$"There is no loaded plugin {pluginId}."];
        }
        var problems = new List<string>();
        var declared = plugin.Instance.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var (name, value) in values ?? new Dictionary<string, double>())
        {
            if (!declared.TryGetValue(name, out var parameter))
            {
                var suggestion = NameSuggester.Suggest(name, declared.Keys);
                problems.Add($"{plugin.Name} has no parameter {name}.{(suggestion is null ? "" : $" Did you mean {suggestion}?")}");
            }
            else if (!double.IsFinite(value) || value < (parameter.Minimum ?? double.MinValue) || value > (parameter.Maximum ?? double.MaxValue))
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{name} must be between {parameter.Minimum?.ToString(CultureInfo.InvariantCulture) ?? "-∞"} and {parameter.Maximum?.ToString(CultureInfo.InvariantCulture) ?? "∞"}; it is {value}."));
            }
        }
        return problems;
    }

    /// <summary>Evaluates a loaded plugin for one entity of a snapshot.</summary>
    public PluginRunResult Evaluate(string pluginId, EntitySnapshot entity, RuleSnapshot snapshot, IReadOnlyDictionary<string, double>? parameters)
    {
        if (catalog.Find(pluginId) is not { } plugin)
        {
            return PluginRunResult.Fail($"There is no loaded plugin {pluginId}.");
        }
        var effective = plugin.Instance.Parameters.ToDictionary(p => p.Name, p => parameters?.GetValueOrDefault(p.Name, p.DefaultValue) ?? p.DefaultValue, StringComparer.Ordinal);
        var context = new PluginEvaluationContext
        {
            Entity = ToPluginEntity(entity),
            Parameters = effective,
            AsOf = snapshot.AsOf,
            Today = snapshot.Today,
        };
        try
        {
            var outcome = plugin.Instance.Evaluate(context);
            return outcome is null ? PluginRunResult.Fail($"Plugin {pluginId} returned no outcome.") : new PluginRunResult(outcome, null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogError(ex, "Plugin {PluginId} failed on {Scope} {EntityId}.", pluginId, entity.Scope.ToApiName(), entity.Id);
            return PluginRunResult.Fail($"Plugin {pluginId} failed: {ex.Message}");
        }
    }

    /// <summary>The contract's view of a snapshot entity.</summary>
    public static PluginEntity ToPluginEntity(EntitySnapshot entity) => new()
    {
        Scope = entity.Scope.ToApiName(),
        Id = entity.Id,
        ExternalId = entity.ExternalId,
        Name = entity.Name,
        Status = entity.Status,
        DailyBudget = entity.DailyBudget,
        StartDate = entity.StartDate,
        LastSignificantEditAt = entity.LastSignificantEditAtUtc is { } edited ? new DateTimeOffset(DateTime.SpecifyKind(edited, DateTimeKind.Utc)) : null,
        Values = new RowValues(entity.Values),
        History = entity.History,
    };

    /// <summary>A snapshot row seen as name → value (numbers and flags; the status text is on <see cref="PluginEntity.Status"/>).</summary>
    private sealed class RowValues(double[] row) : IReadOnlyDictionary<string, double?>
    {
        private static readonly IReadOnlyList<RuleVariable> Variables = [.. RuleVariableCatalogue.All.Where(v => v.Type != RuleValueType.Text)];

        public double? this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"No rule variable {key}.");
        public IEnumerable<string> Keys => Variables.Select(v => v.Name);
        public IEnumerable<double?> Values => Variables.Select(v => RuleOps.ToNullable(row[v.Slot]));
        public int Count => Variables.Count;

        public bool ContainsKey(string key) => RuleVariableCatalogue.Find(key) is { Type: not RuleValueType.Text };

        public bool TryGetValue(string key, [MaybeNullWhen(false)] out double? value)
        {
            if (RuleVariableCatalogue.Find(key) is { Type: not RuleValueType.Text } variable)
            {
                value = RuleOps.ToNullable(row[variable.Slot]);
                return true;
            }
            value = null;
            return false;
        }

        public IEnumerator<KeyValuePair<string, double?>> GetEnumerator() =>
            Variables.Select(v => new KeyValuePair<string, double?>(v.Name, RuleOps.ToNullable(row[v.Slot]))).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}

/// <summary>A plugin's outcome, or why there is none.</summary>
public sealed record PluginRunResult(RuleOutcome? Outcome, string? Error)
{
    public static PluginRunResult Fail(string error) => new(null, error);
}
