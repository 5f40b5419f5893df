using AdIntel.Web.Infrastructure.Options;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Infrastructure.Auth;

/// <summary>
/// Absolute links to this app. Links sent by e-mail (invitations, password resets) are built only from addresses the
/// operator configured, never from a Host header anyone can forge: Auth:PublicUrl; else, when AllowedHosts is
/// restricted, the request's host if it is one of them; else the app's own first address (Urls). Production with local
/// accounts must set Auth:PublicUrl. OAuth callbacks follow the browser that asked for them (a forged Host there only
/// misdirects the forger, and the platforms check the callback against the app's registered ones).
/// </summary>
public sealed class PublicLinks(IOptions<AuthOptions> auth, IConfiguration configuration)
{
    /// <summary>A link for an e-mail: from a configured origin only.</summary>
    public string ForEmail(HttpRequest request, string pathAndQuery) => (PublicUrl() ?? AllowedOrigin(request) ?? OwnAddress()) + pathAndQuery;

    /// <summary>An OAuth callback: Auth:PublicUrl when set, else the address of the current request.</summary>
    public string Absolute(HttpRequest request, string pathAndQuery) => (PublicUrl() ?? RequestOrigin(request)) + pathAndQuery;

    private string? PublicUrl() => string.IsNullOrWhiteSpace(auth.Value.PublicUrl) ? null : auth.Value.PublicUrl.TrimEnd('/');

    private static string RequestOrigin(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";

    private string? AllowedOrigin(HttpRequest request)
    {
        var allowedHosts = (configuration["AllowedHosts"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return !allowedHosts.Contains("*") && allowedHosts.Any(pattern => HostMatches(pattern, request.Host.Host)) ? RequestOrigin(request) : null;
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
