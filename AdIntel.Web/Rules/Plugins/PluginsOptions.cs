using AdIntel.Web.Infrastructure.Data;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Rules.Plugins;

public sealed class PluginsOptions
{
    public const string SectionName = "Plugins";

    /// <summary>
    /// Folder scanned at start, one sub-folder per plugin (its plugin.json, assembly and dependencies). Empty: the
    /// repository's <c>artifacts/plugins</c> when running from a checkout (where the plugin projects build to), else
    /// <c>plugins</c> under the content root. A relative path is taken from the repository root (or content root).
    /// </summary>
    public string Directory { get; set; } = "";

    /// <summary>The folder to scan, resolved as described on <see cref="Directory"/>.</summary>
    public string ResolveDirectory(string contentRoot)
    {
        var root = DataServiceCollectionExtensions.RepositoryRoot(contentRoot);
        var runningFromCheckout = !string.Equals(Path.GetFullPath(root), Path.GetFullPath(contentRoot), StringComparison.Ordinal);
        var folder = string.IsNullOrWhiteSpace(Directory)
            ? runningFromCheckout ? Path.Combine("artifacts", "plugins") : "plugins"
            : Directory.Trim();
        return Path.GetFullPath(Path.Combine(root, folder));
    }
}

/// <summary>Plugins:Directory must be a usable path; a missing folder is not an error (the app runs without plugins).</summary>
public sealed class ValidatePluginsOptions : IValidateOptions<PluginsOptions>
{
    public ValidateOptionsResult Validate(string? name, PluginsOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            return ValidateOptionsResult.Success;
        }
        if (options.Directory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            return ValidateOptionsResult.Fail($"Plugins:Directory \"{options.Directory}\" contains characters that cannot appear in a path.");
        }
        if (File.Exists(options.Directory))
        {
            return ValidateOptionsResult.Fail($"Plugins:Directory \"{options.Directory}\" is a file; it must name a folder.");
        }
        return ValidateOptionsResult.Success;
    }
}
