using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages;

[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public string Title { get; private set; } = "Something went wrong";
    public string Message { get; private set; } = "We could not show this page. The problem has been logged; please try again.";

    public void OnGet(int? status)
    {
        if (status == StatusCodes.Status404NotFound)
        {
            Title = "Page not found";
            Message = "There is nothing at this address. It may have moved, or the link may be wrong.";
        }
        else if (status == StatusCodes.Status403Forbidden)
        {
            Title = "Not allowed";
            Message = "Your role in this store does not allow this page.";
        }
        if (status is >= 400 and < 600)
        {
            Response.StatusCode = status.Value;
        }
    }
}
