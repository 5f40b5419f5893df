using System.Collections;
using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AdIntel.Web.Tests.Security;

/// <summary>
/// Posts hostile values to every field of every Razor Pages form handler (found through the endpoint data source, the
/// fields from the handlers' parameters and the pages' [BindProperty] inputs), as the demo store's owner with a valid
/// antiforgery token: empty, huge, negative, non-numeric, 10,000 characters and full-width digits. Bad input is the
/// form's business (a message or a 4xx), never a server error.
/// </summary>
[Collection(AppCollection.Name)]
public sealed class FormInputFuzzTests(AppFixture fixture, ITestOutputHelper output)
{
    private static readonly (string Name, string Value)[] HostileValues =
    [
        ("empty", ""),
        ("huge", "99999999999999999999"),
        ("negative", "-1"),
        ("non-numeric", "abc"),
        ("10,000 characters", new string('7', 10_000)),
        ("full-width digits", "１２３"),
    ];

    [Fact]
    public async Task Hostile_values_in_any_form_field_never_get_a_server_error()
    {
        // A demo store of its own: the posts really save, invite, revoke and delete.
        await using var app = await fixture.StartAppAsync(AppFixture.Sqlite, new Dictionary<string, string?>
        {
            ["Demo:Enabled"] = "true",
            ["Demo:Orders"] = "300",
            ["Demo:Months"] = "3",
        });
        var browser = new Browser(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        var antiforgery = await browser.AntiforgeryTokenAsync("/settings");
        var handlers = (await EndpointCatalog.ListAsync(app.Services)).Where(r => r.IsPage && r.Method == "POST").ToList();
        var boundInputs = await BoundInputsAsync(app.Services);
        var problems = new List<string>();
        var requests = 0;

        async Task PostAsync(AppRoute route, IReadOnlyDictionary<string, string> query, IEnumerable<KeyValuePair<string, string>> fields, string what, bool htmx)
        {
            requests++;
            using var request = new HttpRequestMessage(HttpMethod.Post, route.Url(query))
            {
                Content = new FormUrlEncodedContent(fields.Append(KeyValuePair.Create("__RequestVerificationToken", antiforgery))),
            };
            if (htmx)
            {
                request.Headers.Add("HX-Request", "true");
            }
            using var response = await browser.Client.SendAsync(request);
            var location = response.Headers.Location?.OriginalString ?? "";
            if ((int)response.StatusCode >= 500 || location.StartsWith("/Error?status=5", StringComparison.Ordinal))
            {
                problems.Add($"{route} {what}{(htmx ? " (htmx)" : "")} → {(int)response.StatusCode} {location}");
            }
        }

        foreach (var route in handlers)
        {
            var query = RouteWalker.Values(route, 1);
            var fields = Fields(route, boundInputs.GetValueOrDefault(route.Path, []));
            foreach (var (name, value) in HostileValues)
            {
                foreach (var field in fields.Keys)
                {
                    var posted = new Dictionary<string, string>(fields) { [field] = value };
                    var inQuery = new Dictionary<string, string>(query);
                    if (inQuery.ContainsKey(field))
                    {
                        inQuery[field] = value;
                    }
                    await PostAsync(route, inQuery, posted, $"{field} = {name}", htmx: false);
                }
                await PostAsync(route, query, fields.Keys.Select(f => KeyValuePair.Create(f, value)), $"every field = {name}", htmx: true);
            }
        }

        output.WriteLine($"{handlers.Count} form handlers, {requests} posts, {problems.Count} server errors");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.Contains(handlers, r => r.Path == "/settings" && r.Handler is null);
        Assert.Contains(handlers, r => r.Path == "/settings/automation" && r.Handler is null);
        Assert.True(handlers.Count >= 25, $"{handlers.Count} handlers");
    }

    /// <summary>The [BindProperty] inputs of every page by route, posted ones included (the catalog lists only those a GET binds).</summary>
    private static async Task<Dictionary<string, List<RouteInput>>> BoundInputsAsync(IServiceProvider services)
    {
        var loader = services.GetRequiredService<PageLoader>();
        var inputs = new Dictionary<string, List<RouteInput>>(StringComparer.Ordinal);
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                var compiled = await loader.LoadAsync(page, endpoint.Metadata);
                var path = "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(s => string.Concat(s.Parts.Select(part => part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
                    RoutePatternSeparatorPart separator => separator.Content,
                    _ => "",
                }))));
                inputs.TryAdd(path, [.. compiled.BoundProperties.Select(p => new RouteInput(p.BindingInfo?.BinderModelName ?? p.Name, p.ParameterType, InputSource.OptionalQuery))]);
            }
        }
        return inputs;
    }

    /// <summary>Every form field a handler binds, with a plausible value: its simple parameters and the leaves of the page's bound inputs.</summary>
    private static Dictionary<string, string> Fields(AppRoute route, IEnumerable<RouteInput> boundInputs)
    {
        var plausible = RouteWalker.Values(route, 1);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in route.Inputs.Where(i => i.Source != InputSource.Route).Concat(boundInputs))
        {
            foreach (var (name, type) in Leaves(input.Name, input.Type, depth: 0))
            {
                fields[name] = plausible.GetValueOrDefault(name) ?? Plausible(type);
            }
        }
        return fields;
    }

    private static IEnumerable<(string Name, Type Type)> Leaves(string name, Type type, int depth)
    {
        var inner = Nullable.GetUnderlyingType(type) ?? type;
        if (IsSimple(inner))
        {
            yield return (name, inner);
            yield break;
        }
        if (depth > 3)
        {
            yield break;
        }
        if (inner.IsGenericType && inner.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            yield return (name + "[key]", inner.GetGenericArguments()[1]);
            yield break;
        }
        if (inner != typeof(string) && typeof(IEnumerable).IsAssignableFrom(inner))
        {
            var element = inner.IsArray ? inner.GetElementType() : inner.GetGenericArguments().FirstOrDefault();
            if (element is not null)
            {
                foreach (var leaf in Leaves(name + "[0]", element, depth + 1))
                {
                    yield return leaf;
                }
            }
            yield break;
        }
        if (inner.Namespace?.StartsWith("AdIntel", StringComparison.Ordinal) != true)
        {
            // Files and framework types are not typed into a form.
            yield break;
        }
        foreach (var property in inner.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetMethod is not null && p.GetIndexParameters().Length == 0))
        {
            foreach (var leaf in Leaves(name + "." + property.Name, property.PropertyType, depth + 1))
            {
                yield return leaf;
            }
        }
    }

    private static bool IsSimple(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateOnly) || type == typeof(DateTime)
        || type == typeof(TimeOnly);

    private static string Plausible(Type type) =>
        type == typeof(bool) ? "true"
        : type.IsEnum ? Enum.GetNames(type)[0]
        : type == typeof(DateOnly) ? "2024-01-01"
        : type == typeof(string) ? "x"
        : "1";
}
