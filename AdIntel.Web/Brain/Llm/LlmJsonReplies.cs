using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AdIntel.Web.Brain.Llm;

/// <summary>How a structured (JSON) request to the LLM ended: its reply, or why there is none.</summary>
public sealed record LlmJsonOutcome<T>(T? Reply, LlmJsonFailure Failure, string? Problem) where T : class;

public enum LlmJsonFailure
{
    None,
    /// <summary>The provider failed (after its retries), timed out or answered something that is not its protocol.</summary>
    ProviderError,
    Refused,
    /// <summary>Twice an answer that did not match the schema.</summary>
    InvalidReply,
}

/// <summary>
/// Asking the LLM for JSON that matches a schema (one of <see cref="LlmPrompts"/>): the schema goes with the request
/// (OpenAI: strict structured output), usage is recorded in the store's ledger, and an answer off the schema is asked
/// for once more before giving up. Every reply is checked here whatever the provider promises.
/// </summary>
public static class LlmJsonReplies
{
    public static ChatOptions SchemaOptions(LlmOptions llm, string schemaName, string responseName, string description)
    {
        var options = new ChatOptions
        {
            ResponseFormat = ChatResponseFormat.ForJsonSchema(LlmPrompts.Schema(schemaName), responseName, description),
            MaxOutputTokens = llm.MaxOutputTokens,
        };
        if (llm.Provider == LlmOptions.OpenAi)
        {
            // OpenAI's strict structured output (json_schema.strict): the model cannot answer off the schema's shape.
            options.AdditionalProperties = new AdditionalPropertiesDictionary { ["strict"] = true };
        }
        return options;
    }

    /// <summary>
    /// Sends <paramref name="messages"/> and parses the answer with <paramref name="parse"/> (the reply, or what is wrong
    /// with it); a wrong answer is asked for again once. <paramref name="onMismatch"/> hears each wrong answer's problem (for logs).
    /// </summary>
    public static async Task<LlmJsonOutcome<T>> AskAsync<T>(IChatClient client, List<ChatMessage> messages, ChatOptions options, LlmUsageLedger ledger,
        Func<string, (T? Reply, string? Problem)> parse, Action<int, string> onMismatch, CancellationToken cancellationToken) where T : class
    {
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            ChatResponse response;
            try
            {
                response = await client.GetResponseAsync(messages, options, cancellationToken);
            }
            catch (Exception e) when (LlmFailures.IsProviderFailure(e, cancellationToken))
            {
                return new(null, LlmJsonFailure.ProviderError, LlmFailures.Describe(e));
            }
            await ledger.RecordAsync(response.Usage, LlmUsageLedger.Estimate(messages.Select(m => m.Text).Append(response.Text)), cancellationToken);
            if (IsRefusal(response))
            {
                return new(null, LlmJsonFailure.Refused, null);
            }
            var (reply, problem) = parse(StripCodeFence(response.Text));
            if (reply is not null)
            {
                return new(reply, LlmJsonFailure.None, null);
            }
            onMismatch(attempt, problem ?? "not acceptable");
            messages.AddRange(response.Messages);
            messages.Add(new ChatMessage(ChatRole.User,
                $"That answer does not match the schema ({problem}). Answer again with JSON only, exactly matching the schema."));
        }
        return new(null, LlmJsonFailure.InvalidReply, null);
    }

    /// <summary>The JSON document when <paramref name="text"/> is JSON matching the schema <paramref name="schemaName"/>, else where it is not.</summary>
    public static (JsonDocument? Document, string? Problem) ParseAgainst(string text, string schemaName)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return (null, "not JSON");
        }
        if (JsonSchemaCheck.FirstError(LlmPrompts.Schema(schemaName), document.RootElement) is { } error)
        {
            document.Dispose();
            return (null, error);
        }
        return (document, null);
    }

    /// <summary>
    /// OpenAI reports a refusal as a <c>refusal</c> field (an <see cref="ErrorContent"/> here); Anthropic as
    /// <c>stop_reason: refusal</c> (<see cref="ChatFinishReason.ContentFilter"/>).
    /// </summary>
    internal static bool IsRefusal(ChatResponse response) =>
        response.FinishReason == ChatFinishReason.ContentFilter || response.Messages.SelectMany(m => m.Contents).OfType<ErrorContent>().Any();

    /// <summary>Some models wrap JSON in a markdown fence even when asked not to; the JSON inside is still the answer.</summary>
    internal static string StripCodeFence(string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith("```", StringComparison.Ordinal))
        {
            return trimmed;
        }
        var start = trimmed.IndexOf('\n', StringComparison.Ordinal);
        var end = trimmed.LastIndexOf("```", StringComparison.Ordinal);
        return start > 0 && end > start ? trimmed[(start + 1)..end] : trimmed;
    }
}
