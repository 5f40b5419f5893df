using AdIntel.Web.Infrastructure.Options;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Infrastructure.Auth;

/// <summary>
/// Absolute links for e-mails (invitations, password resets), built only from addresses the operator configured, never
/// from a Host header anyone can forge: Auth:PublicUrl; else, when AllowedHosts is restricted, the request's host if it
/// is one of them; else the app's own first address (Urls). Production with local accounts must set Auth:PublicUrl.
/// </summary>
public sealed class PublicLinks(IOptions<AuthOptions> auth, IConfiguration configuration)
{
    public string Absolute(HttpRequest request, string pathAndQuery) => Origin(request) + pathAndQuery;

    private string Origin(HttpRequest request)
    {
        if (!string.IsNullOrWhiteSpace(auth.Value.PublicUrl))
        {
            return auth.Value.PublicUrl.TrimEnd('/');
        }
        var allowedHosts = (configuration["AllowedHosts"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!allowedHosts.Contains("*") && allowedHosts.Any(pattern => HostMatches(pattern, request.Host.Host)))
        {
            return $"{request.Scheme}://{request.Host}{request.PathBase}";
        }
        return OwnAddress();
    }

    private static bool HostMatches(string pattern, string host) =>
        pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);

    /// <summary>The first address of Urls, with a listen-on-every-interface host (*, +, 0.0.0.0, [::]) read as localhost.</summary>
    private string OwnAddress()
    {
        var first = (configuration["Urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null)
        {
            return "http://localhost";
        }
        foreach (var anyHost in new[] { "://*", "://+", "://0.0.0.0", "://[::]" })
        {
            first = first.Replace(anyHost, "://localhost", StringComparison.Ordinal);
        }
        return first.TrimEnd('/');
    }
}
