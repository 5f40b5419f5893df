using System.ComponentModel.DataAnnotations;

namespace AdIntel.Web.Rules.Scripting;

/// <summary><c>Rules:CSharpScripts</c>: C# rule conditions for power users of self-hosted installs (trusted code, off by default).</summary>
public sealed class CSharpScriptOptions
{
    public const string SectionName = "Rules:CSharpScripts";

    /// <summary>Why the start stops when scripts are on in Auth:Mode=Shopify.</summary>
    public const string RefusedWithShopifyAuth =
        "Rules:CSharpScripts:Enabled must be false with Auth:Mode=Shopify: every merchant who installs the app is a store owner, and a C# script runs with the server's rights.";

    /// <summary>Off by default: a script runs with the server's rights, so only an install's operator should turn it on.</summary>
    public bool Enabled { get; set; }

    /// <summary>Time one evaluation call (one entity, or one batch of entities) may take before it is stopped or abandoned.</summary>
    [Range(10, 60_000)]
    public int TimeoutMilliseconds { get; set; } = 2000;

    /// <summary>Time a compilation may take.</summary>
    [Range(1000, 120_000)]
    public int CompileTimeoutMilliseconds { get; set; } = 15_000;

    /// <summary>Longest script accepted, in characters.</summary>
    [Range(100, 100_000)]
    public int MaxLength { get; set; } = 20_000;
}
