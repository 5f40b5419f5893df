using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Overview;

public sealed class IndexModel : PageModel
{
    public void OnGet()
    {
    }
}
