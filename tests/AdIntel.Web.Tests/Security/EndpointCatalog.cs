using Auth = AdIntel.Web.Infrastructure.Auth;
using System.Reflection;
using AdIntel.Web.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Security;

/// <summary>Where an input of a route comes from.</summary>
public enum InputSource
{
    /// <summary>A segment of the path: required, so an unknown value must be refused.</summary>
    Route,
    /// <summary>A query value a named page handler needs (e.g. <c>?handler=Revoke&amp;id=</c>): also required.</summary>
    HandlerQuery,
    /// <summary>An optional query value (filters, cursors, the run to highlight): must simply not leak.</summary>
    OptionalQuery,
}

public sealed record RouteInput(string Name, Type Type, InputSource Source)
{
    public bool IsId => Nullable.GetUnderlyingType(Type) is { } inner ? inner == typeof(long) || inner == typeof(int) : Type == typeof(long) || Type == typeof(int);
}

/// <summary>One way to call the app: a method on a path (a page handler or an endpoint), with its inputs and policy.</summary>
public sealed record AppRoute(string Method, string Path, string? Handler, IReadOnlyList<RouteInput> Inputs, bool IsPage,
    bool AllowsAnonymous, IReadOnlyList<string> Policies)
{
    public bool IsApi => Path.StartsWith("/api", StringComparison.OrdinalIgnoreCase);
    public bool IsUnsafe => Method is not ("GET" or "HEAD");

    /// <summary>The strictest role policy of the route; null when only the fallback (any member) applies.</summary>
    public string? Policy => Policies.Contains(Auth.Policies.Administrator) ? Auth.Policies.Administrator
        : Policies.Contains(Auth.Policies.Owner) ? Auth.Policies.Owner
        : Policies.Contains(Auth.Policies.Marketer) ? Auth.Policies.Marketer
        : Policies.Contains(Auth.Policies.Accountant) ? Auth.Policies.Accountant
        : Policies.Contains(Auth.Policies.Viewer) ? Auth.Policies.Viewer
        : null;

    /// <summary>The URL with <paramref name="values"/> for the inputs (route segments, handler and query values).</summary>
    public string Url(IReadOnlyDictionary<string, string> values)
    {
        var path = Path;
        var query = new List<string>();
        if (Handler is not null)
        {
            query.Add("handler=" + Uri.EscapeDataString(Handler));
        }
        foreach (var input in Inputs)
        {
            if (!values.TryGetValue(input.Name, out var value))
            {
                continue;
            }
            if (input.Source == InputSource.Route)
            {
                path = path.Replace("{" + input.Name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
            }
            else
            {
                query.Add(Uri.EscapeDataString(input.Name) + "=" + Uri.EscapeDataString(value));
            }
        }
        return query.Count == 0 ? path : path + "?" + string.Join('&', query);
    }

    public override string ToString() => $"{Method} {Path}{(Handler is null ? "" : "?handler=" + Handler)}";
}

/// <summary>
/// Every route the running app serves, read from its <see cref="EndpointDataSource"/> (so a new page, handler or API
/// endpoint is covered by the walks without touching the tests): Razor Pages expand into one route per handler
/// method, minimal APIs into one per HTTP method. Static files are left out.
/// </summary>
public static class EndpointCatalog
{
    public static async Task<IReadOnlyList<AppRoute>> ListAsync(IServiceProvider services)
    {
        var loader = services.GetRequiredService<PageLoader>();
        var routes = new List<AppRoute>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var endpoint in services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern;
            var path = "/" + string.Join('/', pattern.PathSegments.Select(Segment));
            if (IsStaticFile(endpoint))
            {
                continue;
            }
            var anonymous = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToList();
            var routeInputs = pattern.Parameters.Select(p => new RouteInput(p.Name, RouteType(p), InputSource.Route)).ToList();

            if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is { } page)
            {
                var compiled = await loader.LoadAsync(page, endpoint.Metadata);
                // A page has several endpoints for one route (e.g. "/settings" and "/settings/Index"); keep one.
                if (!seen.Add("page:" + compiled.ViewEnginePath + ":" + path))
                {
                    continue;
                }
                var optional = compiled.BoundProperties
                    .Where(p => p.BindingInfo?.RequestPredicate is null)
                    .Select(p => new RouteInput(p.BindingInfo?.BinderModelName ?? p.Name, p.ParameterType, InputSource.OptionalQuery));
                foreach (var handler in compiled.HandlerMethods)
                {
                    // What a named handler or any post acts on is required; the default GET's values only select or filter.
                    var source = handler.Name is null && handler.HttpMethod.Equals("GET", StringComparison.OrdinalIgnoreCase)
                        ? InputSource.OptionalQuery
                        : InputSource.HandlerQuery;
                    var inputs = routeInputs
                        .Concat(handler.Parameters.Where(p => IsSimple(p.ParameterType) && routeInputs.All(r => r.Name != p.Name))
                            .Select(p => new RouteInput(p.Name, p.ParameterType, source)))
                        .Concat(optional)
                        .ToList();
                    routes.Add(new AppRoute(handler.HttpMethod.ToUpperInvariant(), path, handler.Name, inputs, IsPage: true, anonymous, policies));
                }
                continue;
            }

            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var queryInputs = endpoint.Metadata.GetMetadata<MethodInfo>() is { } handlerMethod
                ? handlerMethod.GetParameters()
                    .Where(p => IsSimple(p.ParameterType) && p.Name is not null && routeInputs.All(r => !string.Equals(r.Name, p.Name, StringComparison.OrdinalIgnoreCase)))
                    .Select(p => new RouteInput(p.Name!, p.ParameterType, InputSource.OptionalQuery))
                : [];
            foreach (var method in methods)
            {
                if (seen.Add(method + " " + path))
                {
                    routes.Add(new AppRoute(method, path, null, [.. routeInputs, .. queryInputs], IsPage: false, anonymous, policies));
                }
            }
        }
        return routes;
    }

    private static string Segment(RoutePatternPathSegment segment) => string.Concat(segment.Parts.Select(part => part switch
    {
        RoutePatternLiteralPart literal => literal.Content,
        RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
        RoutePatternSeparatorPart separator => separator.Content,
        _ => "",
    }));

    private static Type RouteType(RoutePatternParameterPart parameter) =>
        parameter.ParameterPolicies.Any(p => p.Content is "long" or "int") ? typeof(long) : typeof(string);

    /// <summary>Files under wwwroot (MapStaticAssets) and the file fallback: no store data, no state.</summary>
    private static bool IsStaticFile(RouteEndpoint endpoint) =>
        endpoint.Metadata.Any(m => m.GetType().Name == "StaticAssetDescriptor")
        || endpoint.RoutePattern.Parameters.Any(p => p.ParameterPolicies.Any(policy => policy.Content == "file"))
        || endpoint.RoutePattern.RawText?.EndsWith(".js", StringComparison.Ordinal) == true;

    private static bool IsSimple(Type type)
    {
        var inner = Nullable.GetUnderlyingType(type) ?? type;
        return inner.IsPrimitive || inner.IsEnum || inner == typeof(string) || inner == typeof(DateOnly) || inner == typeof(decimal);
    }
}
