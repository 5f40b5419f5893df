using AdIntel.Web.Brain.Llm.Ask;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Htmx;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Ask;

/// <summary>Ask AdIntel: a question box answered by the LLM with the store's own queries. Not found without an LLM.</summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class IndexModel(AskAdIntel ask, AskTools tools) : PageModel
{
    [BindProperty]
    public string? Question { get; set; }

    public AskAnswer? Answer { get; private set; }

    public IActionResult OnGet() => ask.IsAvailable ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ask.IsAvailable)
        {
            return NotFound();
        }
        if (AskQuestion.Problem(Question) is { } problem)
        {
            ModelState.AddModelError(nameof(Question), problem);
        }
        else
        {
            Answer = await ask.AskAsync(Question!.Trim(), tools.All(), cancellationToken);
        }
        return this.PageOrPartial("_Answer", this);
    }
}
