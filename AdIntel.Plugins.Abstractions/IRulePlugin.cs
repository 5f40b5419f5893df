namespace AdIntel.Plugins.Abstractions;

/// <summary>
/// A rule written in C# and shipped as a plugin assembly with its manifest (plugin.json), which alone gives the
/// plugin's name and description. The host creates one instance per plugin at start
/// (through a public parameterless constructor) and calls <see cref="Evaluate"/> for each entity a rule using the
/// plugin covers, possibly from several threads at once: keep instances free of per-call state.
/// </summary>
/// <remarks>
/// Plugins are trusted code: they run inside the AdIntel process with its permissions. Their own dependencies are
/// isolated from the host's and from other plugins', but nothing else is.
/// </remarks>
public interface IRulePlugin
{
    /// <summary>Stable id, equal to the manifest's <c>id</c> (lower case, e.g. <c>adintel.creative-fatigue</c>).</summary>
    string Id { get; }

    /// <summary>The settings a rule using this plugin may change; each has a default.</summary>
    IReadOnlyList<PluginParameter> Parameters { get; }

    /// <summary>Judges one entity. Must not throw for missing data: answer <see cref="RuleOutcome.NoMatch"/> with the reason.</summary>
    RuleOutcome Evaluate(PluginEvaluationContext context);
}
