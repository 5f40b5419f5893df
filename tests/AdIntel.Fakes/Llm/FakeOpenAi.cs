using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AdIntel.Fakes.Llm;

/// <summary>
/// A fake of OpenAI's Chat Completions API (<c>POST /v1/chat/completions</c>), which OpenAI-compatible servers (Ollama,
/// vLLM) speak too: bearer key, the request checked as OpenAI checks it (messages, tools, <c>tool_calls</c> each answered
/// by a <c>tool</c> message, <c>response_format</c> json_schema), answers with <c>tool_calls</c> (arguments as a JSON
/// string), <c>refusal</c>, <c>usage</c>, and OpenAI's error bodies with <c>retry-after</c>.
/// </summary>
public static partial class FakeOpenAi
{
    public static void Map(IEndpointRouteBuilder app, FakeLlmState state, TimeProvider time)
    {
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            var received = time.GetUtcNow();
            if (context.Request.Headers.Authorization.ToString() != "Bearer " + state.ApiKey)
            {
                return Error(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided.");
            }
            JsonObject body;
            try
            {
                body = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))?.AsObject()
                    ?? throw new InvalidOperationException();
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
            {
                return Error(400, "invalid_request_error", null, "We could not parse the JSON body of your request.");
            }
            if (Validate(body) is { } problem)
            {
                return Error(400, "invalid_request_error", null, problem);
            }

            var request = Describe(context, body, received);
            return state.Answer(request) switch
            {
                FakeLlmReply.ErrorReply error => ErrorReply(context, error),
                FakeLlmReply.MalformedReply => Results.Text("{\"id\":\"chatcmpl-", "application/json", statusCode: 200),
                var reply => Results.Json(Completion(body, reply, time)),
            };
        });
    }

    private static string? Validate(JsonObject body)
    {
        if (body["model"] is not JsonValue model || string.IsNullOrEmpty(model.GetValue<string>()))
        {
            return "you must provide a model parameter";
        }
        if (body["messages"] is not JsonArray { Count: > 0 } messages)
        {
            return "'messages' must contain at least one message";
        }
        var unanswered = new HashSet<string>();
        foreach (var message in messages.OfType<JsonObject>())
        {
            var role = message["role"]?.GetValue<string>();
            if (role is not ("system" or "developer" or "user" or "assistant" or "tool"))
            {
                return $"Invalid value: '{role}'. Supported values are: 'system', 'developer', 'user', 'assistant', and 'tool'.";
            }
            if (role == "tool")
            {
                if (!unanswered.Remove(message["tool_call_id"]?.GetValue<string>() ?? ""))
                {
                    return "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.";
                }
                continue;
            }
            if (unanswered.Count > 0)
            {
                return "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response messages: " + string.Join(", ", unanswered);
            }
            if (role == "assistant" && message["tool_calls"] is JsonArray calls)
            {
                foreach (var call in calls)
                {
                    unanswered.Add(call?["id"]?.GetValue<string>() ?? "");
                }
            }
        }
        if (unanswered.Count > 0)
        {
            return "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'.";
        }
        foreach (var tool in (body["tools"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var name = tool["function"]?["name"]?.GetValue<string>() ?? "";
            if (tool["type"]?.GetValue<string>() != "function" || !ToolName().IsMatch(name))
            {
                return $"Invalid 'tools': function name '{name}' must match ^[a-zA-Z0-9_-]{{1,64}}$.";
            }
        }
        if (body["response_format"] is JsonObject format && format["type"]?.GetValue<string>() == "json_schema")
        {
            var schema = format["json_schema"];
            if (!ToolName().IsMatch(schema?["name"]?.GetValue<string>() ?? "") || schema?["schema"] is not JsonObject schemaObject)
            {
                return "Invalid 'response_format.json_schema': a name matching ^[a-zA-Z0-9_-]{1,64}$ and a schema object are required.";
            }
            if (schema["strict"]?.GetValue<bool>() == true && StrictProblem(schemaObject) is { } strict)
            {
                return "Invalid schema for response_format: In context=(), " + strict;
            }
        }
        return null;
    }

    /// <summary>Strict mode: every object lists all its properties as required and allows no others.</summary>
    private static string? StrictProblem(JsonObject schema)
    {
        if (schema["properties"] is JsonObject properties)
        {
            var required = (schema["required"] as JsonArray ?? []).Select(r => r?.GetValue<string>()).ToHashSet();
            if (properties.Any(p => !required.Contains(p.Key)))
            {
                return "'required' is required to be supplied and to be an array including every key in properties.";
            }
            if (schema["additionalProperties"] is not JsonValue additional || additional.GetValue<bool>())
            {
                return "'additionalProperties' is required to be supplied and to be false.";
            }
            foreach (var property in properties)
            {
                if (property.Value is JsonObject child && StrictProblem(child) is { } problem)
                {
                    return problem;
                }
            }
        }
        return schema["items"] is JsonObject items ? StrictProblem(items) : null;
    }

    private static FakeLlmRequest Describe(HttpContext context, JsonObject body, DateTimeOffset received)
    {
        var messages = body["messages"]!.AsArray().OfType<JsonObject>().ToList();
        static string Text(JsonNode? content) => content switch
        {
            JsonValue value => value.GetValue<string>(),
            JsonArray parts => string.Concat(parts.Select(p => p?["text"]?.GetValue<string>() ?? "")),
            _ => "",
        };
        return new FakeLlmRequest(
            received,
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()),
            body,
            string.Join("\n", messages.Where(m => m["role"]?.GetValue<string>() is "system" or "developer").Select(m => Text(m["content"]))),
            messages.Where(m => m["role"]?.GetValue<string>() == "user").Select(m => Text(m["content"])).ToList(),
            (body["tools"] as JsonArray ?? []).Select(t => t?["function"]?["name"]?.GetValue<string>() ?? "").ToList(),
            messages.Where(m => m["role"]?.GetValue<string>() == "tool")
                .Select(m => new FakeToolResult(m["tool_call_id"]!.GetValue<string>(), Text(m["content"]), false)).ToList(),
            body["response_format"]?["json_schema"]?["schema"] as JsonObject);
    }

    private static JsonObject Completion(JsonObject body, FakeLlmReply reply, TimeProvider time)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = null, ["refusal"] = null };
        var finish = "stop";
        switch (reply)
        {
            case FakeLlmReply.TextReply text:
                message["content"] = text.Content;
                break;
            case FakeLlmReply.RefusalReply refusal:
                message["refusal"] = refusal.Message;
                break;
            case FakeLlmReply.ToolCallsReply tools:
                message["tool_calls"] = new JsonArray([.. tools.Calls.Select(call => (JsonNode)new JsonObject
                {
                    ["id"] = "call_" + Guid.NewGuid().ToString("N")[..24],
                    ["type"] = "function",
                    ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.Arguments.ToJsonString() },
                })]);
                finish = "tool_calls";
                break;
        }
        return new JsonObject
        {
            ["id"] = "chatcmpl-" + Guid.NewGuid().ToString("N")[..24],
            ["object"] = "chat.completion",
            ["created"] = time.GetUtcNow().ToUnixTimeSeconds(),
            ["model"] = body["model"]!.GetValue<string>(),
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["logprobs"] = null, ["finish_reason"] = finish }),
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = reply.InputTokens,
                ["completion_tokens"] = reply.OutputTokens,
                ["total_tokens"] = reply.InputTokens + reply.OutputTokens,
            },
        };
    }

    private static IResult ErrorReply(HttpContext context, FakeLlmReply.ErrorReply error)
    {
        if (error.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers["retry-after"] = seconds.ToString(CultureInfo.InvariantCulture);
        }
        context.Response.Headers["x-request-id"] = "req_" + Guid.NewGuid().ToString("N")[..16];
        // OpenAI has no 529: an overloaded OpenAI answers 503.
        return error.Kind switch
        {
            "rate_limit" => Error(429, "requests", "rate_limit_exceeded", error.Message),
            "insufficient_quota" => Error(429, "insufficient_quota", "insufficient_quota", error.Message),
            "overloaded" => Error(503, "server_error", null, "The engine is currently overloaded, please try again later."),
            _ => Error(error.Status, "server_error", null, error.Message),
        };
    }

    private static IResult Error(int status, string type, string? code, string message) =>
        Results.Json(new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = code },
        }, statusCode: status);

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex ToolName();
}
