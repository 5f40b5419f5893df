using System.Text.Json.Nodes;

namespace AdIntel.Fakes.Llm;

/// <summary>
/// One fake LLM provider's script and log: replies are taken from <see cref="Script"/> in order (a canned reply or a
/// function of the request, e.g. one that answers with a figure read from a tool result), then from
/// <see cref="Fallback"/>; every request that reached the endpoint is kept in <see cref="Requests"/>, faults included.
/// </summary>
public sealed class FakeLlmState
{
    private readonly Queue<Func<FakeLlmRequest, FakeLlmReply>> _script = new();
    private readonly List<FakeLlmRequest> _requests = [];

    /// <summary>The key the fake accepts (OpenAI: <c>Authorization: Bearer</c>; Anthropic: <c>x-api-key</c>).</summary>
    public string ApiKey { get; set; } = "fake-llm-key";

    /// <summary>What answers once the script is used up: by default a 500, so an unexpected extra call is visible.</summary>
    public Func<FakeLlmRequest, FakeLlmReply> Fallback { get; set; } = _ => FakeLlmReply.ServerError(500);

    public IReadOnlyList<FakeLlmRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public FakeLlmState Enqueue(params FakeLlmReply[] replies)
    {
        foreach (var reply in replies)
        {
            Enqueue(_ => reply);
        }
        return this;
    }

    public FakeLlmState Enqueue(Func<FakeLlmRequest, FakeLlmReply> reply)
    {
        lock (_script)
        {
            _script.Enqueue(reply);
        }
        return this;
    }

    internal FakeLlmReply Answer(FakeLlmRequest request)
    {
        lock (_requests)
        {
            _requests.Add(request);
        }
        Func<FakeLlmRequest, FakeLlmReply>? next;
        lock (_script)
        {
            _script.TryDequeue(out next);
        }
        return (next ?? Fallback)(request);
    }
}

/// <summary>
/// A request as the fake understood it, in provider-neutral terms (the raw body stays in <see cref="Body"/>):
/// system text, the user's texts, tools offered, tool results sent back and the JSON schema asked for.
/// </summary>
public sealed record FakeLlmRequest(
    DateTimeOffset ReceivedAt,
    IReadOnlyDictionary<string, string> Headers,
    JsonObject Body,
    string System,
    IReadOnlyList<string> UserTexts,
    IReadOnlyList<string> ToolNames,
    IReadOnlyList<FakeToolResult> ToolResults,
    JsonObject? ResponseSchema)
{
    public string Model => Body["model"]?.GetValue<string>() ?? "";
}

/// <summary>A tool result the client sent back: the id of the call it answers and its content.</summary>
public sealed record FakeToolResult(string CallId, string Content, bool IsError);

/// <summary>A tool call the fake model makes: the tool's name and its arguments.</summary>
public sealed record FakeToolCall(string Name, JsonObject Arguments);

/// <summary>What the fake model answers, rendered in each provider's own wire format.</summary>
public abstract record FakeLlmReply
{
    /// <summary>Tokens reported in <c>usage</c>.</summary>
    public int InputTokens { get; init; } = 120;
    public int OutputTokens { get; init; } = 40;

    public static FakeLlmReply Text(string text) => new TextReply(text);

    public static FakeLlmReply Json(JsonNode json) => new TextReply(json.ToJsonString());

    public static FakeLlmReply ToolCalls(params FakeToolCall[] calls) => new ToolCallsReply(calls);

    public static FakeLlmReply Refusal(string message) => new RefusalReply(message);

    /// <summary>429 with <c>retry-after</c> in seconds (none when null), as either provider throttles.</summary>
    public static FakeLlmReply RateLimited(int? retryAfterSeconds) => new ErrorReply(429, "rate_limit", "Rate limit reached. Please try again later.", retryAfterSeconds);

    /// <summary>OpenAI's 429 for an exhausted account: not to be retried.</summary>
    public static FakeLlmReply InsufficientQuota() => new ErrorReply(429, "insufficient_quota", "You exceeded your current quota, please check your plan and billing details.", null);

    /// <summary>Anthropic's 529 <c>overloaded_error</c> (OpenAI has no 529: it gets a 503).</summary>
    public static FakeLlmReply Overloaded() => new ErrorReply(529, "overloaded", "Overloaded", null);

    public static FakeLlmReply ServerError(int status) => new ErrorReply(status, "server", "The server had an error while processing your request.", null);

    /// <summary>HTTP 200 whose body is cut off mid-JSON.</summary>
    public static FakeLlmReply MalformedBody() => new MalformedReply();

    internal sealed record TextReply(string Content) : FakeLlmReply;
    internal sealed record ToolCallsReply(IReadOnlyList<FakeToolCall> Calls) : FakeLlmReply;
    internal sealed record RefusalReply(string Message) : FakeLlmReply;
    internal sealed record ErrorReply(int Status, string Kind, string Message, int? RetryAfterSeconds) : FakeLlmReply;
    internal sealed record MalformedReply : FakeLlmReply;
}
