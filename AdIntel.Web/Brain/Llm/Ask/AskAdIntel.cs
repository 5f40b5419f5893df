using System.Globalization;
using System.Text.Json;
using AdIntel.Web.Metrics;
using Microsoft.Extensions.AI;

namespace AdIntel.Web.Brain.Llm.Ask;

/// <summary>A tool the model called, with its arguments as JSON.</summary>
public sealed record AskToolCall(string Name, string Arguments);

/// <summary>A number from a tool result that the answer states, e.g. ("get_kpis", "kpis.mer", 2.91).</summary>
public sealed record AskFigure(string Tool, string Name, decimal Value);

public enum AskOutcome
{
    Answered,
    /// <summary>The answer stated numbers no tool returned, so it is not shown.</summary>
    Withheld,
    BudgetExhausted,
    Refused,
    Failed,
}

/// <summary>What "Ask AdIntel" shows: the answer (when it passed the number check), every tool call and the figures the answer used.</summary>
public sealed record AskAnswer(AskOutcome Outcome, string? Text, IReadOnlyList<AskToolCall> ToolCalls, IReadOnlyList<AskFigure> Figures, int UnverifiedNumbers)
{
    public string? Notice => Outcome switch
    {
        AskOutcome.Withheld => $"The answer was withheld: it stated {UnverifiedNumbers} number(s) that no query returned. The queries it ran are listed below.",
        AskOutcome.BudgetExhausted => "This month's AI token budget is used up; Ask AdIntel works again next month (or with a larger Llm:MonthlyTokenBudget).",
        AskOutcome.Refused => "The AI declined to answer this question.",
        AskOutcome.Failed => "The AI provider could not be reached or gave no usable answer; please try again in a minute.",
        _ => null,
    };
}

/// <summary>
/// Answers a question about the current store with the LLM calling the read-only tools the screen gives it
/// (Microsoft.Extensions.AI function invocation, one call at a time, at most <see cref="MaxRoundTrips"/> round trips).
/// The answer must state only numbers the tools returned (<see cref="FigureCheck"/>), else it is withheld; tokens count
/// against the store's budget. Logs carry outcomes and counts, never the question, the tool results or the answer.
/// </summary>
public sealed class AskAdIntel(LlmChatClients clients, LlmUsageLedger ledger, StoreClock clock, ILogger<AskAdIntel> logger)
{
    public const int MaxQuestionLength = 500;
    public const int MaxRoundTrips = 6;

    public bool IsAvailable => clients.IsConfigured;

    /// <param name="tools">Read-only tools over the current store; their results are the only numbers the answer may state.</param>
    public async Task<AskAnswer> AskAsync(string question, IList<AITool> tools, CancellationToken cancellationToken)
    {
        if (await ledger.GetThisMonthAsync(cancellationToken) is { Exhausted: true })
        {
            return new AskAnswer(AskOutcome.BudgetExhausted, null, [], [], 0);
        }
        var calendar = await clock.GetCalendarAsync(cancellationToken);
        var today = await clock.GetTodayAsync(cancellationToken);
        List<ChatMessage> messages =
        [
            new(ChatRole.System, LlmPrompts.Text(LlmPrompts.Ask) + "\n\n" + string.Create(CultureInfo.InvariantCulture,
                $"Today is {today:yyyy-MM-dd} ({today.DayOfWeek}) in the store's time zone; money is in {calendar.Currency}.")),
            new(ChatRole.User, question),
        ];
        var options = new ChatOptions
        {
            Tools = tools,
            ToolMode = ChatToolMode.Auto,
            AllowMultipleToolCalls = true,
            MaxOutputTokens = clients.Options.MaxOutputTokens,
        };
        ChatResponse response;
        using (var client = new FunctionInvokingChatClient(clients.Create())
        {
            MaximumIterationsPerRequest = MaxRoundTrips,
            // The tools share the request's DbContext, which runs one query at a time.
            AllowConcurrentInvocation = false,
            IncludeDetailedErrors = false,
        })
        {
            try
            {
                response = await client.GetResponseAsync(messages, options, cancellationToken);
            }
            catch (Exception e) when (LlmFailures.IsProviderFailure(e, cancellationToken))
            {
                logger.LogWarning("Ask AdIntel failed: the LLM call failed with {Failure} (prompt {Prompt})", LlmFailures.Describe(e), LlmPrompts.Ask);
                return new AskAnswer(AskOutcome.Failed, null, [], [], 0);
            }
        }
        await ledger.RecordAsync(response.Usage,
            LlmUsageLedger.Estimate(messages.Concat(response.Messages).SelectMany(m => m.Contents).Select(ContentText)), cancellationToken);

        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        var calls = contents.OfType<FunctionCallContent>().ToList();
        var results = contents.OfType<FunctionResultContent>().ToDictionary(r => r.CallId, r => ToJson(r.Result), StringComparer.Ordinal);
        var toolCalls = calls.Select(c => new AskToolCall(c.Name, JsonSerializer.Serialize(c.Arguments ?? new Dictionary<string, object?>()))).ToList();
        if (LlmJsonReplies.IsRefusal(response))
        {
            logger.LogInformation("Ask AdIntel: the LLM refused after {Calls} tool call(s)", calls.Count);
            return new AskAnswer(AskOutcome.Refused, null, toolCalls, [], 0);
        }
        var text = response.Text.Trim();
        if (text.Length == 0)
        {
            logger.LogWarning("Ask AdIntel: the LLM gave no answer after {Calls} tool call(s) (finish {Finish})", calls.Count, response.FinishReason?.Value);
            return new AskAnswer(AskOutcome.Failed, null, toolCalls, [], 0);
        }

        var figures = new List<(CheckedFigure Figure, AskFigure Shown)>();
        var texts = new List<string> { question, today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) };
        texts.AddRange(toolCalls.Select(c => c.Arguments));
        foreach (var call in calls)
        {
            if (results.TryGetValue(call.CallId, out var result))
            {
                Collect(call.Name, result, "", figures, texts);
            }
        }
        var check = new FigureCheck(figures.Select(f => f.Figure), texts);
        var unknown = check.Unknown(text);
        if (unknown.Count > 0)
        {
            logger.LogWarning("Ask AdIntel withheld an answer: it states {Count} number(s) no tool returned ({Calls} tool call(s))", unknown.Count, calls.Count);
            return new AskAnswer(AskOutcome.Withheld, null, toolCalls, [], unknown.Count);
        }
        var used = check.Used(text).ToHashSet();
        logger.LogInformation("Ask AdIntel answered with {Calls} tool call(s) and {Figures} figure(s)", calls.Count, used.Count);
        return new AskAnswer(AskOutcome.Answered, text, toolCalls, [.. figures.Where(f => used.Contains(f.Figure)).Select(f => f.Shown)], 0);
    }

    private static string? ContentText(AIContent content) => content switch
    {
        TextContent text => text.Text,
        FunctionResultContent result => ToJson(result.Result).GetRawText(),
        FunctionCallContent call => JsonSerializer.Serialize(call.Arguments),
        _ => null,
    };

    private static JsonElement ToJson(object? result) => result switch
    {
        JsonElement element => element,
        null => default,
        _ => JsonSerializer.SerializeToElement(result, AIJsonUtilities.DefaultOptions),
    };

    /// <summary>
    /// Every number of a tool result becomes a figure named by its path (an array item by its name or date, e.g.
    /// <c>campaigns[Prospecting].roas</c>), ids excepted; every text (names, dates, ids) may be repeated.
    /// </summary>
    private static void Collect(string tool, JsonElement value, string path, List<(CheckedFigure, AskFigure)> figures, List<string> texts)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Number when value.TryGetDecimal(out var number):
                var name = tool + ":" + path;
                figures.Add((new CheckedFigure(name, number, ""), new AskFigure(tool, path, number)));
                break;
            case JsonValueKind.String:
                texts.Add(value.GetString()!);
                break;
            case JsonValueKind.Object:
                foreach (var property in value.EnumerateObject())
                {
                    // An id labels a row, it measures nothing: it may be repeated, but is never the figure a number states.
                    if (property.Value.ValueKind == JsonValueKind.Number && (property.Name == "id" || property.Name.EndsWith("Id", StringComparison.Ordinal)))
                    {
                        texts.Add(property.Value.GetRawText());
                        continue;
                    }
                    Collect(tool, property.Value, path.Length == 0 ? property.Name : path + "." + property.Name, figures, texts);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in value.EnumerateArray())
                {
                    var label = item.ValueKind == JsonValueKind.Object
                        && (item.TryGetProperty("name", out var label1) || item.TryGetProperty("date", out label1) || item.TryGetProperty("rule", out label1))
                        && label1.ValueKind == JsonValueKind.String
                            ? label1.GetString()
                            : index.ToString(CultureInfo.InvariantCulture);
                    Collect(tool, item, $"{path}[{label}]", figures, texts);
                    index++;
                }
                break;
        }
    }
}
