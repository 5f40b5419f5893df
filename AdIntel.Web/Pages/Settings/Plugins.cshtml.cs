using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Rules.Plugins;
using AdIntel.Web.Rules.Scripting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Settings;

/// <summary>Settings → Plugins: the rule plugins loaded at start, those refused and why, and whether C# scripts are on.</summary>
[Authorize(Policy = Policies.Owner)]
public sealed class PluginsModel(PluginCatalog catalog, CSharpRuleScriptCompiler scripts) : PageModel
{
    public PluginCatalog Catalog => catalog;

    public bool ScriptsEnabled => scripts.IsEnabled;

    public void OnGet()
    {
    }
}
