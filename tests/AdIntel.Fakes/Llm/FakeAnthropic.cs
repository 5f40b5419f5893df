using System.Globalization;
using System.Text.Json.Nodes;

namespace AdIntel.Fakes.Llm;

/// <summary>
/// A fake of Anthropic's Messages API (<c>POST /v1/messages</c>): the key (<c>x-api-key</c> or a bearer token) and an
/// <c>anthropic-version</c> header required,
/// <c>max_tokens</c> required, every <c>tool_use</c> block answered by a <c>tool_result</c> block in the next user
/// message (400 otherwise, as Anthropic does), structured output through <c>output_config.format</c>, answers with
/// <c>tool_use</c> blocks (input as an object), <c>stop_reason</c> <c>refusal</c>, <c>usage</c>, and Anthropic's
/// error bodies: 429 <c>rate_limit_error</c> with <c>retry-after</c>, 529 <c>overloaded_error</c>.
/// </summary>
public static class FakeAnthropic
{
    public static void Map(IEndpointRouteBuilder app, FakeLlmState state, TimeProvider time)
    {
        app.MapPost("/v1/messages", async (HttpContext context) =>
        {
            var received = time.GetUtcNow();
            context.Response.Headers["request-id"] = "req_" + Guid.NewGuid().ToString("N")[..16];
            // The key comes as x-api-key (the documented header) or as a bearer token (what the official .NET SDK 13 sends).
            if (context.Request.Headers["x-api-key"].ToString() != state.ApiKey
                && context.Request.Headers.Authorization.ToString() != "Bearer " + state.ApiKey)
            {
                return Error(401, "authentication_error", "invalid x-api-key");
            }
            if (string.IsNullOrEmpty(context.Request.Headers["anthropic-version"].ToString()))
            {
                return Error(400, "invalid_request_error", "anthropic-version: header is required");
            }
            JsonObject body;
            try
            {
                body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))?.AsObject()
                    ?? throw new InvalidOperationException();
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
            {
                return Error(400, "invalid_request_error", "There was an issue with the request body: it is not valid JSON.");
            }
            if (Validate(body) is { } problem)
            {
                return Error(400, "invalid_request_error", problem);
            }

            var request = Describe(context, body, received);
            return state.Answer(request) switch
            {
                FakeLlmReply.ErrorReply error => ErrorReply(context, error),
                FakeLlmReply.MalformedReply => Results.Text("{\"id\":\"msg_01", "application/json", statusCode: 200),
                var reply => Results.Json(Message(body, reply)),
            };
        });
    }

    private static string? Validate(JsonObject body)
    {
        if (body["model"] is not JsonValue)
        {
            return "model: Field required";
        }
        if (body["max_tokens"] is not JsonValue maxTokens || maxTokens.GetValue<int>() < 1)
        {
            return "max_tokens: Field required";
        }
        if (body["messages"] is not JsonArray { Count: > 0 } messages)
        {
            return "messages: at least one message is required";
        }
        HashSet<string> pending = [];
        var index = 0;
        foreach (var message in messages.OfType<JsonObject>())
        {
            var role = message["role"]?.GetValue<string>();
            if (role is not ("user" or "assistant"))
            {
                return $"messages.{index}.role: Input should be 'user' or 'assistant'";
            }
            var blocks = message["content"] as JsonArray ?? [];
            if (pending.Count > 0)
            {
                var answered = blocks.OfType<JsonObject>().Where(b => b["type"]?.GetValue<string>() == "tool_result")
                    .Select(b => b["tool_use_id"]?.GetValue<string>() ?? "").ToHashSet();
                if (role != "user" || !pending.SetEquals(answered))
                {
                    return $"messages.{index}: `tool_use` ids were found without `tool_result` blocks immediately after: {string.Join(", ", pending.Except(answered))}. Each `tool_use` block must have a corresponding `tool_result` block in the next message.";
                }
                pending.Clear();
            }
            if (role == "assistant")
            {
                foreach (var block in blocks.OfType<JsonObject>().Where(b => b["type"]?.GetValue<string>() == "tool_use"))
                {
                    pending.Add(block["id"]?.GetValue<string>() ?? "");
                }
            }
            index++;
        }
        foreach (var tool in (body["tools"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (tool["name"] is not JsonValue || tool["input_schema"]?["type"]?.GetValue<string>() != "object")
            {
                return "tools: each tool needs a name and an input_schema of type object";
            }
        }
        return null;
    }

    private static FakeLlmRequest Describe(HttpContext context, JsonObject body, DateTimeOffset received)
    {
        var messages = body["messages"]!.AsArray().OfType<JsonObject>().ToList();
        static IEnumerable<JsonObject> Blocks(JsonNode? content) => content switch
        {
            JsonValue value => [new JsonObject { ["type"] = "text", ["text"] = value.GetValue<string>() }],
            JsonArray blocks => blocks.OfType<JsonObject>(),
            _ => [],
        };
        static string Text(JsonNode? content) =>
            string.Concat(Blocks(content).Where(b => b["type"]?.GetValue<string>() == "text").Select(b => b["text"]?.GetValue<string>() ?? ""));
        return new FakeLlmRequest(
            received,
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
            body,
            Text(body["system"]),
            messages.Where(m => m["role"]?.GetValue<string>() == "user").Select(m => Text(m["content"])).Where(t => t.Length > 0).ToList(),
            (body["tools"] as JsonArray ?? []).Select(t => t?["name"]?.GetValue<string>() ?? "").ToList(),
            messages.SelectMany(m => Blocks(m["content"])).Where(b => b["type"]?.GetValue<string>() == "tool_result")
                .Select(b => new FakeToolResult(b["tool_use_id"]!.GetValue<string>(), Text(b["content"]) is { Length: > 0 } text ? text : b["content"]?.ToString() ?? "",
                    b["is_error"]?.GetValue<bool>() ?? false)).ToList(),
            (body["output_config"]?["format"] ?? body["output_format"])?["schema"] as JsonObject);
    }

    private static JsonObject Message(JsonObject body, FakeLlmReply reply)
    {
        var content = new JsonArray();
        var stop = "end_turn";
        switch (reply)
        {
            case FakeLlmReply.TextReply text:
                content.Add(new JsonObject { ["type"] = "text", ["text"] = text.Content });
                break;
            case FakeLlmReply.RefusalReply refusal:
                content.Add(new JsonObject { ["type"] = "text", ["text"] = refusal.Message });
                stop = "refusal";
                break;
            case FakeLlmReply.ToolCallsReply tools:
                foreach (var call in tools.Calls)
                {
                    content.Add(new JsonObject
                    {
                        ["type"] = "tool_use",
                        ["id"] = "toolu_" + Guid.NewGuid().ToString("N")[..22],
                        ["name"] = call.Name,
                        ["input"] = call.Arguments.DeepClone(),
                    });
                }
                stop = "tool_use";
                break;
        }
        return new JsonObject
        {
            ["id"] = "msg_" + Guid.NewGuid().ToString("N")[..22],
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = body["model"]!.GetValue<string>(),
            ["content"] = content,
            ["stop_reason"] = stop,
            ["stop_sequence"] = null,
            ["usage"] = new JsonObject { ["input_tokens"] = reply.InputTokens, ["output_tokens"] = reply.OutputTokens },
        };
    }

    private static IResult ErrorReply(HttpContext context, FakeLlmReply.ErrorReply error)
    {
        if (error.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers["retry-after"] = seconds.ToString(CultureInfo.InvariantCulture);
        }
        return error.Kind switch
        {
            "rate_limit" => Error(429, "rate_limit_error", error.Message),
            "overloaded" => Error(529, "overloaded_error", "Overloaded"),
            "insufficient_quota" => Error(400, "invalid_request_error", "Your credit balance is too low to access the Anthropic API."),
            _ => Error(error.Status, "api_error", "Internal server error"),
        };
    }

    private static IResult Error(int status, string type, string message) =>
        Results.Json(new JsonObject
        {
            ["type"] = "error",
            ["error"] = new JsonObject { ["type"] = type, ["message"] = message },
            ["request_id"] = "req_" + Guid.NewGuid().ToString("N")[..16],
        }, statusCode: status);
}
