using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace AdIntel.Web.Tests.Security;

/// <summary>Sends one request for a route the way its real callers do: API tokens, or a browser session with its antiforgery token.</summary>
public sealed class RouteWalker(Browser browser, HttpClient? api)
{
    private string? _antiforgery;

    /// <summary>Who calls a route: the API with the token and the session; pages and the rest with the session.</summary>
    public IEnumerable<(string Name, Func<AppRoute, IReadOnlyDictionary<string, string>, Task<HttpResponseMessage>> Send)> Callers(AppRoute route)
    {
        if (route.IsApi && api is not null)
        {
            yield return ("token", (r, v) => SendAsync(api, r, v, antiforgery: null));
        }
        yield return ("session", async (r, v) => await SendAsync(browser.Client, r, v, await TokenAsync()));
    }

    /// <summary>Values for a route's inputs: <paramref name="id"/> for every id, a plausible value for the rest.</summary>
    public static Dictionary<string, string> Values(AppRoute route, long? id)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in route.Inputs)
        {
            var type = Nullable.GetUnderlyingType(input.Type) ?? input.Type;
            if (input.IsId)
            {
                if (id is { } value)
                {
                    values[input.Name] = TwoStores.Id(value);
                }
            }
            else if (type.IsEnum)
            {
                values[input.Name] = Enum.GetNames(type)[0];
            }
            else if (type == typeof(DateOnly))
            {
                values[input.Name] = "2024-01-01";
            }
            else if (type == typeof(bool))
            {
                values[input.Name] = "true";
            }
            else if (input.Source == InputSource.Route || type != typeof(string))
            {
                values[input.Name] = type == typeof(string) ? "x" : "1";
            }
        }
        return values;
    }

    /// <summary>403 or 404, also as the error page a browser is sent to.</summary>
    public static bool IsRefused(HttpResponseMessage response) =>
        response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.NotFound
        || (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther
            && response.Headers.Location?.OriginalString is "/Error?status=403" or "/Error?status=404");

    private async Task<string> TokenAsync() => _antiforgery ??= await browser.AntiforgeryTokenAsync();

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, AppRoute route, IReadOnlyDictionary<string, string> values, string? antiforgery)
    {
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.Url(values));
        if (route.IsUnsafe)
        {
            if (route.IsApi)
            {
                request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                if (antiforgery is not null)
                {
                    request.Headers.Add("RequestVerificationToken", antiforgery);
                }
            }
            else
            {
                request.Content = Browser.Form(antiforgery ?? "", []);
            }
        }
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }
}
