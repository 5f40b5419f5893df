using Htmx;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Infrastructure.Htmx;

/// <summary>
/// One URL, two renderings: an htmx request that swaps part of a page gets the partial, every other request the
/// full page (or a redirect, after a plain form post).
/// </summary>
public static class PageModelHtmxExtensions
{
    /// <summary>
    /// Whether htmx will swap the answer into part of the page: an htmx request that is neither boosted navigation
    /// (htmx then swaps the whole body) nor a history restore (htmx missed its history cache and puts back the
    /// whole page).
    /// </summary>
    public static bool IsHtmxFragmentRequest(this HttpRequest request) =>
        request.IsHtmxNonBoosted() && !request.IsHtmxHistoryRestoreRequest();

    /// <summary>The partial for an htmx fragment request, the full page otherwise.</summary>
    public static IActionResult PageOrPartial(this PageModel page, string partialName, object? model) =>
        page.PartialOr(partialName, model, page.Page());

    /// <summary>
    /// The partial for an htmx fragment request, <paramref name="otherwise"/> for every other request. Both answers
    /// share one URL, so the response varies by HX-Request: a cache must never serve the fragment as the page.
    /// </summary>
    public static IActionResult PartialOr(this PageModel page, string partialName, object? model, IActionResult otherwise)
    {
        page.Response.Htmx(headers => headers.WithVary());
        return page.Request.IsHtmxFragmentRequest() ? page.Partial(partialName, model) : otherwise;
    }
}
