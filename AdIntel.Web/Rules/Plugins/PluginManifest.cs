using System.Text.Json;
using System.Text.RegularExpressions;
using AdIntel.Plugins.Abstractions;

namespace AdIntel.Web.Rules.Plugins;

/// <summary>
/// A plugin's <c>plugin.json</c>, read and checked before any of its code is loaded:
/// <code>
/// { "id": "adintel.creative-fatigue", "name": "Creative fatigue", "version": "1.0.0", "description": "...",
///   "assembly": "AdIntel.Plugins.CreativeFatigue.dll", "entryType": "AdIntel.Plugins.CreativeFatigue.CreativeFatiguePlugin",
///   "abstractionsVersions": [1] }
/// </code>
/// </summary>
public sealed partial record PluginManifest(string Id, string Name, string Version, string? Description, string Assembly, string EntryType,
    IReadOnlyList<int> AbstractionsVersions)
{
    public const string FileName = "plugin.json";

    /// <summary>
    /// Reads and checks a manifest. <paramref name="problem"/> says what is wrong: with a null result the manifest is
    /// unreadable; with a manifest, the plugin is incompatible with this host.
    /// </summary>
    public static PluginManifest? Read(string folder, out string? problem)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            problem = $"The folder has no {FileName}.";
            return null;
        }
        Json? json;
        try
        {
            json = JsonSerializer.Deserialize<Json>(File.ReadAllText(path), JsonSerializerOptions.Web);
        }
        catch (JsonException ex)
        {
            problem = $"{FileName} is not valid JSON: {ex.Message}";
            return null;
        }
        if (json is null)
        {
            problem = $"{FileName} is empty.";
            return null;
        }

        var missing = new[] { ("id", json.Id), ("name", json.Name), ("version", json.Version), ("assembly", json.Assembly), ("entryType", json.EntryType) }
            .Where(f => string.IsNullOrWhiteSpace(f.Item2)).Select(f => f.Item1).ToList();
        if (json.AbstractionsVersions is not { Count: > 0 })
        {
            missing.Add("abstractionsVersions");
        }
        if (missing.Count > 0)
        {
            problem = $"{FileName} lacks {string.Join(", ", missing)}.";
            return null;
        }
        if (!IdPattern().IsMatch(json.Id!))
        {
            problem = $"The id \"{json.Id}\" must be lower-case letters and digits separated by dots or dashes, e.g. acme.budget-pacing.";
            return null;
        }
        if (!System.Version.TryParse(json.Version, out _))
        {
            problem = $"The version \"{json.Version}\" is not a version number like 1.0.0.";
            return null;
        }
        if (Path.GetFileName(json.Assembly) != json.Assembly || !json.Assembly!.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            problem = $"\"assembly\" must be the file name of a .dll in the plugin's folder, not \"{json.Assembly}\".";
            return null;
        }
        var manifest = new PluginManifest(json.Id!, json.Name!.Trim(), json.Version!, json.Description, json.Assembly, json.EntryType!.Trim(), json.AbstractionsVersions!);
        if (!manifest.AbstractionsVersions.Contains(AbstractionsVersion.Current))
        {
            problem = $"Incompatible: built for plugin contract version {string.Join(" or ", manifest.AbstractionsVersions)}, and this AdIntel provides version {AbstractionsVersion.Current}.";
            return manifest;
        }
        problem = null;
        return manifest;
    }

    /// <summary>Whether the host's contract version is one the plugin was built for.</summary>
    public bool IsCompatible => AbstractionsVersions.Contains(AbstractionsVersion.Current);

    [GeneratedRegex("^[a-z0-9]+([.-][a-z0-9]+)*$")]
    private static partial Regex IdPattern();

    private sealed record Json(string? Id, string? Name, string? Version, string? Description, string? Assembly, string? EntryType, List<int>? AbstractionsVersions);
}
