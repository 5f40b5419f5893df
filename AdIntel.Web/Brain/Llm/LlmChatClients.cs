using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using Anthropic;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using OpenAI;
using Polly;
using Polly.Timeout;

namespace AdIntel.Web.Brain.Llm;

/// <summary>
/// The configured provider as an <see cref="IChatClient"/>. Both SDKs talk through one named HttpClient whose resilience
/// handler owns retries (the SDKs' own are off), so OpenAI, OpenAI-compatible servers and Anthropic back off alike.
/// </summary>
public sealed class LlmChatClients(IOptions<LlmOptions> options, IHttpClientFactory httpClients)
{
    public const string HttpClientName = "llm";

    public LlmOptions Options => options.Value;

    public bool IsConfigured => options.Value.IsConfigured;

    /// <summary>A client for one piece of work (cheap to make; the HttpClient's handlers are pooled by the factory).</summary>
    public IChatClient Create()
    {
        var o = options.Value;
        if (!o.IsConfigured)
        {
            throw new InvalidOperationException("No LLM is configured (Llm:Provider and Llm:ApiKey).");
        }
        var http = httpClients.CreateClient(HttpClientName);
        return o.Provider switch
        {
            LlmOptions.OpenAi => new OpenAI.Chat.ChatClient(o.Model, new ApiKeyCredential(o.ApiKey!), new OpenAIClientOptions
            {
                Endpoint = new Uri(string.IsNullOrWhiteSpace(o.BaseUrl) ? "https://api.openai.com/v1" : o.BaseUrl),
                Transport = new HttpClientPipelineTransport(http),
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                NetworkTimeout = TotalTimeout(o),
            }).AsIChatClient(),
            LlmOptions.Anthropic => new AnthropicClient(new Anthropic.Core.ClientOptions
            {
                ApiKey = o.ApiKey,
                BaseUrl = string.IsNullOrWhiteSpace(o.BaseUrl) ? "https://api.anthropic.com" : o.BaseUrl.TrimEnd('/'),
                HttpClient = http,
                MaxRetries = 0,
                Timeout = TotalTimeout(o),
            }).AsIChatClient(o.Model, o.MaxOutputTokens),
            _ => throw new InvalidOperationException($"Unknown LLM provider {o.Provider}."),
        };
    }

    /// <summary>The longest a call may take with every retry: each attempt, and each wait before the next.</summary>
    private static TimeSpan TotalTimeout(LlmOptions o) => (o.RequestTimeout + o.MaxRetryAfter) * (o.MaxRetries + 1);

    /// <summary>
    /// The LLM HttpClient: retries after 408, 409, 429 and 5xx (Anthropic's 529 included) with exponential back-off, or
    /// after the wait the answer names (<c>retry-after-ms</c>, <c>retry-after</c>), and an attempt timeout. Not retried:
    /// OpenAI's <c>insufficient_quota</c> 429, a <c>x-should-retry: false</c> answer, or a wait longer than <see cref="LlmOptions.MaxRetryAfter"/>.
    /// </summary>
    public static void AddHttpClient(IServiceCollection services) =>
        services.AddHttpClient(HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("llm", (pipeline, context) =>
            {
                var o = context.ServiceProvider.GetRequiredService<IOptions<LlmOptions>>().Value;
                var time = context.ServiceProvider.GetRequiredService<TimeProvider>();
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = o.MaxRetries,
                    Delay = o.RetryBaseDelay,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldRetryAfterHeader = false,
                    ShouldHandle = args => ShouldRetryAsync(args.Outcome, o, time),
                    DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result is { } response ? RetryAfter(response, time) : null),
                });
                pipeline.AddTimeout(o.RequestTimeout);
            });

    private static async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, LlmOptions o, TimeProvider time)
    {
        if (outcome.Exception is { } exception)
        {
            return exception is HttpRequestException or TimeoutRejectedException;
        }
        var response = outcome.Result!;
        if (response.Headers.TryGetValues("x-should-retry", out var should))
        {
            return string.Equals(should.FirstOrDefault(), "true", StringComparison.OrdinalIgnoreCase);
        }
        var status = (int)response.StatusCode;
        if (status is not (408 or 409 or 429) && status < 500)
        {
            return false;
        }
        if (RetryAfter(response, time) > o.MaxRetryAfter)
        {
            return false;
        }
        if (status == 429)
        {
            // OpenAI answers 429 both when throttling (retry) and when the account is out of credit (waiting will not help).
            await response.Content.LoadIntoBufferAsync();
            var body = await response.Content.ReadAsStringAsync();
            return !body.Contains("insufficient_quota", StringComparison.Ordinal);
        }
        return true;
    }

    /// <summary>The wait the provider asks for: <c>retry-after-ms</c>, else <c>retry-after</c> in seconds or as an HTTP date.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        if (response.Headers.TryGetValues("retry-after-ms", out var milliseconds)
            && double.TryParse(milliseconds.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
        {
            return TimeSpan.FromMilliseconds(ms);
        }
        return response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - time.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
            _ => null,
        };
    }
}
