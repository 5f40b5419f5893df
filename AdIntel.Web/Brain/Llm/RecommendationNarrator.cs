using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AdIntel.Web.Infrastructure.Caching;
using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Caching.Memory;

namespace AdIntel.Web.Brain.Llm;

/// <summary>
/// Has the LLM rewrite the rules' recommendations in plain language (and add a few of its own) as JSON checked against
/// <see cref="LlmPrompts.NarrationSchema"/>: an answer that does not match is asked for once more, then the rules' text
/// stands. A rewrite or addition stating a number it was not given (<see cref="FigureCheck"/>) is dropped and logged.
/// Results are cached per store and input for <see cref="CacheFor"/> (a provider failure for
/// <see cref="ProviderErrorCacheFor"/>); nothing runs past the store's monthly token budget. Logs carry keys, counts and reasons, never a prompt or an answer.
/// </summary>
public sealed class RecommendationNarrator(
    LlmChatClients clients,
    LlmUsageLedger ledger,
    IMemoryCache cache,
    StoreContext store,
    TimeProvider time,
    ILogger<RecommendationNarrator> logger)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(10);

    public static readonly TimeSpan ProviderErrorCacheFor = TimeSpan.FromMinutes(1);

    private static readonly JsonSerializerOptions ReplyJson = new(JsonSerializerDefaults.Web);

    /// <summary>Whether an LLM is configured (without one every narration is the rules' own text).</summary>
    public bool IsConfigured => clients.IsConfigured;

    public async Task<NarrationResult> NarrateAsync(IReadOnlyList<NarrationInput> inputs, CancellationToken cancellationToken)
    {
        if (inputs.Count == 0)
        {
            return NarrationResult.Deterministic(inputs, NarrationFallback.NoRecommendations);
        }
        if (!clients.IsConfigured)
        {
            return NarrationResult.Deterministic(inputs, NarrationFallback.NotConfigured);
        }
        var figures = FigureIds(inputs);
        var request = RequestText(inputs);
        var cacheKey = new StoreCacheKey("llm-narration", store.RequiredStoreId,
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{LlmPrompts.MediaBuyer}\n{clients.Options.Provider}\n{clients.Options.Model}\n{request}"))));
        if (cache.TryGetValue(cacheKey, out CachedNarration? cached) && time.GetUtcNow() < cached!.Expires)
        {
            return cached.Result;
        }
        if (await ledger.GetThisMonthAsync(cancellationToken) is { Exhausted: true })
        {
            logger.LogInformation("Recommendations keep the deterministic text: store {StoreId} used its monthly LLM token budget", store.RequiredStoreId);
            return NarrationResult.Deterministic(inputs, NarrationFallback.BudgetExhausted);
        }

        var (reply, fallback) = await AskForReplyAsync(request, inputs, cancellationToken);
        var result = reply is null ? NarrationResult.Deterministic(inputs, fallback) : Check(inputs, figures, reply);
        // A failed provider is asked again after a minute, not on every page view; an answer (even a refusal or two
        // answers off the schema, which the same input would get again) is kept the full ten minutes.
        var keepFor = fallback == NarrationFallback.ProviderError ? ProviderErrorCacheFor : CacheFor;
        cache.Set(cacheKey, new CachedNarration(result, time.GetUtcNow() + keepFor), keepFor);
        return result;
    }

    private async Task<(NarrationReply? Reply, NarrationFallback Fallback)> AskForReplyAsync(string request, IReadOnlyList<NarrationInput> inputs,
        CancellationToken cancellationToken)
    {
        List<ChatMessage> messages = [new(ChatRole.System, LlmPrompts.Text(LlmPrompts.MediaBuyer)), new(ChatRole.User, request)];
        var options = LlmJsonReplies.SchemaOptions(clients.Options, LlmPrompts.NarrationSchema, "recommendations",
            "The recommendations rewritten in plain language, and any added");
        using var client = clients.Create();
        var outcome = await LlmJsonReplies.AskAsync(client, messages, options, ledger, text => Parse(text, inputs),
            (attempt, problem) => logger.LogWarning("LLM rewrite attempt {Attempt} did not match the schema: {Problem} (prompt {Prompt})", attempt, problem,
                LlmPrompts.MediaBuyer),
            cancellationToken);
        switch (outcome.Failure)
        {
            case LlmJsonFailure.ProviderError:
                logger.LogWarning("Recommendations keep the deterministic text: the LLM call failed with {Failure} (prompt {Prompt})",
                    outcome.Problem, LlmPrompts.MediaBuyer);
                return (null, NarrationFallback.ProviderError);
            case LlmJsonFailure.Refused:
                logger.LogWarning("Recommendations keep the deterministic text: the LLM refused (prompt {Prompt})", LlmPrompts.MediaBuyer);
                return (null, NarrationFallback.Refused);
            case LlmJsonFailure.InvalidReply:
                return (null, NarrationFallback.InvalidReply);
            default:
                return (outcome.Reply, NarrationFallback.None);
        }
    }

    /// <summary>The reply, or why it is not acceptable: not JSON, not the schema, or keys that were not asked about.</summary>
    private static (NarrationReply? Reply, string? Problem) Parse(string text, IReadOnlyList<NarrationInput> inputs)
    {
        var (document, error) = LlmJsonReplies.ParseAgainst(text, LlmPrompts.NarrationSchema);
        if (document is null)
        {
            return (null, error);
        }
        using (document)
        {
            var reply = document.RootElement.Deserialize<NarrationReply>(ReplyJson)!;
            var keys = inputs.Select(i => i.Key).ToHashSet(StringComparer.Ordinal);
            if (reply.Recommendations.Any(r => !keys.Contains(r.Key)))
            {
                return (null, "$.recommendations: a key that was not given");
            }
            if (reply.Recommendations.GroupBy(r => r.Key, StringComparer.Ordinal).Any(g => g.Count() > 1))
            {
                return (null, "$.recommendations: a key given twice");
            }
            return (reply, null);
        }
    }

    private NarrationResult Check(IReadOnlyList<NarrationInput> inputs, IReadOnlyDictionary<string, (NarrationInput Input, NarrationFigure Figure)> figures,
        NarrationReply reply)
    {
        var dropped = 0;
        var rewrites = reply.Recommendations.ToDictionary(r => r.Key, StringComparer.Ordinal);
        var narrated = new List<NarratedRecommendation>(inputs.Count);
        foreach (var input in inputs)
        {
            if (!rewrites.TryGetValue(input.Key, out var rewrite))
            {
                narrated.Add(new NarratedRecommendation(input.Key, input.Title, input.Reasoning, ByLlm: false));
                continue;
            }
            var unknown = CheckFor(input.Figures, [input]).Unknown(rewrite.Title + "\n" + rewrite.Reasoning);
            if (unknown.Count > 0)
            {
                dropped++;
                logger.LogWarning("Dropped the LLM rewrite of recommendation {Key}: it states {Count} number(s) not among its figures", input.Key, unknown.Count);
                narrated.Add(new NarratedRecommendation(input.Key, input.Title, input.Reasoning, ByLlm: false));
                continue;
            }
            narrated.Add(new NarratedRecommendation(input.Key, rewrite.Title.Trim(), rewrite.Reasoning.Trim(), ByLlm: true));
        }

        var added = new List<AddedRecommendation>();
        foreach (var (item, index) in reply.Added.Select((a, i) => (a, i)))
        {
            var cited = item.FigureIds.Distinct(StringComparer.Ordinal).ToList();
            if (cited.Any(id => !figures.ContainsKey(id)))
            {
                dropped++;
                logger.LogWarning("Dropped LLM-added recommendation {Index}: it cites a figure that was not given", index);
                continue;
            }
            var sources = cited.Select(id => figures[id]).ToList();
            var unknown = CheckFor(sources.Select(s => s.Figure), sources.Select(s => s.Input).Distinct()).Unknown(item.Title + "\n" + item.Reasoning);
            if (unknown.Count > 0)
            {
                dropped++;
                logger.LogWarning("Dropped LLM-added recommendation {Index}: it states {Count} number(s) not among the figures it cites", index, unknown.Count);
                continue;
            }
            added.Add(new AddedRecommendation(item.Title.Trim(), item.Reasoning.Trim(), [.. sources.Select(s => s.Figure)]));
        }
        return new NarrationResult(NarrationSource.Llm, NarrationFallback.None, narrated, added, dropped);
    }

    /// <summary>The figures' numbers, and those written in the texts the model was given about them (names, windows, the rules' wording).</summary>
    private static FigureCheck CheckFor(IEnumerable<NarrationFigure> figures, IEnumerable<NarrationInput> about)
    {
        var list = figures.ToList();
        return new FigureCheck(list.Select(f => new CheckedFigure(f.Name, f.Value, f.Unit)),
            list.SelectMany(f => new[] { f.Name, f.Window }).Concat(about.SelectMany(i => new[] { i.Title, i.Reasoning })));
    }

    /// <summary>Each figure gets an id (f1, f2, …) by which added recommendations cite it.</summary>
    private static Dictionary<string, (NarrationInput Input, NarrationFigure Figure)> FigureIds(IReadOnlyList<NarrationInput> inputs)
    {
        var ids = new Dictionary<string, (NarrationInput, NarrationFigure)>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            foreach (var figure in input.Figures)
            {
                ids["f" + (ids.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)] = (input, figure);
            }
        }
        return ids;
    }

    /// <summary>The recommendations as JSON, each figure with the id <see cref="FigureIds"/> gives it (the same order).</summary>
    private static string RequestText(IReadOnlyList<NarrationInput> inputs)
    {
        var number = 0;
        var recommendations = new JsonArray([.. inputs.Select(input => (JsonNode)new JsonObject
        {
            ["key"] = input.Key,
            ["type"] = input.Type,
            ["title"] = input.Title,
            ["reasoning"] = input.Reasoning,
            ["figures"] = new JsonArray([.. input.Figures.Select(f => (JsonNode)new JsonObject
            {
                ["id"] = "f" + (++number).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["name"] = f.Name,
                ["value"] = f.Value,
                ["unit"] = f.Unit,
                ["window"] = f.Window,
            })]),
        })]);
        return "Rewrite these recommendations (JSON below) as the schema asks.\n\n" + new JsonObject { ["recommendations"] = recommendations }.ToJsonString();
    }

    private sealed record CachedNarration(NarrationResult Result, DateTimeOffset Expires);

    private sealed record NarrationReply(IReadOnlyList<RewrittenItem> Recommendations, IReadOnlyList<AddedItem> Added);

    private sealed record RewrittenItem(string Key, string Title, string Reasoning);

    private sealed record AddedItem(string Title, string Reasoning, IReadOnlyList<string> FigureIds);
}
