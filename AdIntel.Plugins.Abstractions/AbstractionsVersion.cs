namespace AdIntel.Plugins.Abstractions;

/// <summary>The plugin contract's version; a plugin's manifest names the versions it was built against.</summary>
public static class AbstractionsVersion
{
    /// <summary>Bumped on every breaking change of this assembly's public surface.</summary>
    public const int Current = 1;
}
