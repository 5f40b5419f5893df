using System.ComponentModel.DataAnnotations;

namespace AdIntel.Web.Infrastructure.Options;

/// <summary>Rate limits and request size limits.</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>Sign-in, password-reset, invitation and setup form posts per client address per minute.</summary>
    [Range(1, 100_000, ErrorMessage = "Security:SignInPermitsPerMinute must be between 1 and 100000.")]
    public int SignInPermitsPerMinute { get; set; } = 10;

    /// <summary>Uploads (API and page) per store per minute.</summary>
    [Range(1, 100_000, ErrorMessage = "Security:ImportPermitsPerMinute must be between 1 and 100000.")]
    public int ImportPermitsPerMinute { get; set; } = 10;

    /// <summary>API requests per token (or per signed-in session, or per address) per minute.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Security:ApiPermitsPerMinute must be between 1 and 1000000.")]
    public int ApiPermitsPerMinute { get; set; } = 600;

    /// <summary>Largest request body outside uploads (forms, JSON), in kilobytes; larger bodies get 413.</summary>
    [Range(16, 102_400, ErrorMessage = "Security:MaxRequestBodyKilobytes must be between 16 and 102400.")]
    public int MaxRequestBodyKilobytes { get; set; } = 1024;

    public long MaxRequestBodyBytes => MaxRequestBodyKilobytes * 1024L;
}
