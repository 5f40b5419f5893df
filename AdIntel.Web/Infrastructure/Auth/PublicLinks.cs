using AdIntel.Web.Infrastructure.Options;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Infrastructure.Auth;

/// <summary>
/// Absolute links for e-mails. Auth:PublicUrl when set; otherwise the address of the current request (fine on a
/// trusted network; in production set PublicUrl, so a forged Host header cannot redirect reset links elsewhere).
/// </summary>
public sealed class PublicLinks(IOptions<AuthOptions> auth)
{
    public string Absolute(HttpRequest request, string pathAndQuery)
    {
        var origin = string.IsNullOrWhiteSpace(auth.Value.PublicUrl)
            ? $"{request.Scheme}://{request.Host}{request.PathBase}"
            : auth.Value.PublicUrl.TrimEnd('/');
        return origin + pathAndQuery;
    }
}
