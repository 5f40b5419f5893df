using System.ComponentModel.DataAnnotations;

namespace AdIntel.Web.Brain.Llm;

/// <summary>
/// Which LLM rewrites recommendations and answers "Ask AdIntel". Without a provider and a key everything stays
/// deterministic. <see cref="ApiKey"/> comes from the environment (<c>Llm__ApiKey</c>) or user secrets, never appsettings.json.
/// </summary>
public sealed class LlmOptions : IValidatableObject
{
    public const string SectionName = "Llm";

    public const string None = "none";
    public const string OpenAi = "openai";
    public const string Anthropic = "anthropic";

    /// <summary>none, openai (OpenAI or any server speaking its Chat Completions API: Ollama, vLLM) or anthropic.</summary>
    [Required, RegularExpression("^(none|openai|anthropic)$", ErrorMessage = "Llm:Provider must be none, openai or anthropic.")]
    public string Provider { get; set; } = None;

    /// <summary>
    /// The provider's API root; empty for the vendor's own (https://api.openai.com/v1, https://api.anthropic.com).
    /// A local OpenAI-compatible server: e.g. http://localhost:11434/v1 (Ollama).
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>The model id, e.g. gpt-4.1-mini or claude-sonnet-4-5; required with a provider.</summary>
    public string? Model { get; set; }

    /// <summary>The provider's key (a local server that wants none still needs a placeholder, e.g. "ollama").</summary>
    public string? ApiKey { get; set; }

    /// <summary>Tokens (input + output) each store may use per store-local month; past it everything is deterministic.</summary>
    [Range(1_000, 10_000_000_000, ErrorMessage = "Llm:MonthlyTokenBudget must be between 1,000 and 10,000,000,000.")]
    public long MonthlyTokenBudget { get; set; } = 2_000_000;

    /// <summary>Retries after 408, 429 (not an exhausted quota), 5xx and 529, waiting as <c>retry-after</c> says.</summary>
    [Range(1, 10, ErrorMessage = "Llm:MaxRetries must be between 1 and 10.")]
    public int MaxRetries { get; set; } = 3;

    /// <summary>First back-off when the provider names no <c>retry-after</c>; doubles on each retry, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A <c>retry-after</c> longer than this is not waited for: the call fails over to the deterministic text.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one attempt may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    [Range(256, 32_000, ErrorMessage = "Llm:MaxOutputTokens must be between 256 and 32,000.")]
    public int MaxOutputTokens { get; set; } = 2_000;

    /// <summary>A provider is chosen and a key is present: without both, recommendations use the deterministic text.</summary>
    public bool IsConfigured => !string.Equals(Provider, None, StringComparison.Ordinal) && !string.IsNullOrWhiteSpace(ApiKey);

    /// <summary>How the provider is named to people (Settings).</summary>
    public string ProviderLabel => Provider switch
    {
        OpenAi => string.IsNullOrWhiteSpace(BaseUrl) ? "OpenAI" : "OpenAI-compatible server",
        Anthropic => "Anthropic",
        _ => "none",
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(BaseUrl)
            && (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            yield return new ValidationResult("Llm:BaseUrl must be an absolute http(s) address.", [nameof(BaseUrl)]);
        }
        if (!string.Equals(Provider, None, StringComparison.Ordinal) && string.IsNullOrWhiteSpace(Model))
        {
            yield return new ValidationResult($"Llm:Model is required with Llm:Provider={Provider}.", [nameof(Model)]);
        }
        if (RetryBaseDelay <= TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero || MaxRetryAfter < TimeSpan.Zero)
        {
            yield return new ValidationResult("Llm:RetryBaseDelay and Llm:RequestTimeout must be positive, Llm:MaxRetryAfter not negative.",
                [nameof(RetryBaseDelay), nameof(RequestTimeout), nameof(MaxRetryAfter)]);
        }
    }
}
