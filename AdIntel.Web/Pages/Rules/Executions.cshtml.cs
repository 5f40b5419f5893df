using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Execution;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Rules;

/// <summary>A rule's run log: every run, and for one run every entity judged with its values, why, and what became of its actions.</summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class ExecutionsModel(AdIntelDbContext db) : PageModel
{
    public Rule Rule { get; private set; } = null!;
    public IReadOnlyList<RuleExecution> Runs { get; private set; } = [];
    public RuleExecution? Selected { get; private set; }
    public IReadOnlyList<ExecutionEntityLog> Entities { get; private set; } = [];

    /// <summary>The entities the selected run does not list one by one (a level larger than <see cref="RuleRunner.ListEveryEntityUpTo"/>).</summary>
    public ExecutionNotListed? NotListed { get; private set; }

    [BindProperty(SupportsGet = true)]
    public long? Run { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool ShowAll { get; set; }

    [TempData]
    public string? Flash { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken cancellationToken)
    {
        if (await db.Rules.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken) is not { } rule)
        {
            return NotFound();
        }
        Rule = rule;
        Runs = await db.RuleExecutions.AsNoTracking().Where(e => e.RuleId == id).OrderByDescending(e => e.Id).Take(50).ToListAsync(cancellationToken);
        var selectedId = Run ?? Runs.FirstOrDefault()?.Id;
        Selected = selectedId is { } runId
            ? await db.RuleExecutions.AsNoTracking().SingleOrDefaultAsync(e => e.Id == runId && e.RuleId == id, cancellationToken)
            : null;
        if (Selected is not null)
        {
            var all = JsonSerializer.Deserialize<List<ExecutionEntityLog>>(Selected.DetailsJson, RuleJson.Options) ?? [];
            Entities = ShowAll ? all : [.. all.Where(e => e.InFilter)];
            NotListed = Selected.NotListedJson is { } notListed ? JsonSerializer.Deserialize<ExecutionNotListed>(notListed, RuleJson.Options) : null;
        }
        return Page();
    }

    public static string Value(object? value) => value switch
    {
        null => "—",
        JsonElement { ValueKind: JsonValueKind.Null } => "—",
        JsonElement element => element.ToString(),
        _ => value.ToString() ?? "—",
    };
}
