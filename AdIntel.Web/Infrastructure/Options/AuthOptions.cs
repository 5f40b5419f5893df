using System.ComponentModel.DataAnnotations;

namespace AdIntel.Web.Infrastructure.Options;

public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>Demo (everyone is the demo store's owner), Local or Shopify.</summary>
    [Required, RegularExpression("^(Demo|Local|Shopify)$", ErrorMessage = "Auth:Mode must be Demo, Local or Shopify.")]
    public string Mode { get; set; } = "Demo";

    public bool IsDemo => string.Equals(Mode, "Demo", StringComparison.Ordinal);
}
