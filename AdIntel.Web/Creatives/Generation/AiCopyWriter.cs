using System.Text.Json;
using System.Text.Json.Nodes;
using AdIntel.Web.Brain.Llm;
using AdIntel.Web.Domain;
using Microsoft.Extensions.AI;

namespace AdIntel.Web.Creatives.Generation;

/// <summary>The LLM's variants, or why there are none (a sentence for the person who asked).</summary>
public sealed record AiDrafts(IReadOnlyList<CopyDraft> Drafts, string? Notice)
{
    public static AiDrafts None(string notice) => new([], notice);
}

/// <summary>
/// Has the configured LLM write ad copy variants through the Brain's LLM layer: the copywriter prompt, the brand
/// profile and the request as JSON, the answer checked against <see cref="LlmPrompts.VariantsSchema"/> (asked for once
/// more when it does not match), usage counted against the store's monthly budget. Without an LLM, past the budget,
/// or when the provider fails, refuses or answers off the schema twice, there are no drafts and the notice says why.
/// Logs carry reasons and counts, never the prompt or the copy.
/// </summary>
public sealed class AiCopyWriter(LlmChatClients clients, LlmUsageLedger ledger, ILogger<AiCopyWriter> logger)
{
    private const string Fallback = "AdIntel's templates wrote these variants instead.";

    private static readonly JsonSerializerOptions ReplyJson = new(JsonSerializerDefaults.Web);

    public bool IsConfigured => clients.IsConfigured;

    public async Task<AiDrafts> WriteAsync(GenerationRequest request, BrandProfile brand, CancellationToken cancellationToken)
    {
        if (!clients.IsConfigured)
        {
            return AiDrafts.None("No LLM is configured (Llm:Provider), so AdIntel's templates wrote these variants.");
        }
        if (await ledger.GetThisMonthAsync(cancellationToken) is { Exhausted: true })
        {
            return AiDrafts.None("This store has used its monthly LLM token budget. " + Fallback);
        }
        List<ChatMessage> messages = [new(ChatRole.System, LlmPrompts.Text(LlmPrompts.Copywriter)), new(ChatRole.User, RequestText(request, brand))];
        var options = LlmJsonReplies.SchemaOptions(clients.Options, LlmPrompts.VariantsSchema, "ad_copy_variants", "Ad copy variants for Meta ads");
        using var client = clients.Create();
        var outcome = await LlmJsonReplies.AskAsync(client, messages, options, ledger, Parse,
            (attempt, problem) => logger.LogWarning("LLM copy attempt {Attempt} did not match the schema: {Problem} (prompt {Prompt})", attempt, problem,
                LlmPrompts.Copywriter),
            cancellationToken);
        switch (outcome.Failure)
        {
            case LlmJsonFailure.ProviderError:
                logger.LogWarning("Generated copy fell back to templates: the LLM call failed with {Failure} (prompt {Prompt})", outcome.Problem, LlmPrompts.Copywriter);
                return AiDrafts.None("The LLM could not be reached or did not answer in time. " + Fallback);
            case LlmJsonFailure.Refused:
                logger.LogWarning("Generated copy fell back to templates: the LLM refused (prompt {Prompt})", LlmPrompts.Copywriter);
                return AiDrafts.None("The LLM declined to write this copy. " + Fallback);
            case LlmJsonFailure.InvalidReply:
                return AiDrafts.None("The LLM's answer was not in the expected format, twice. " + Fallback);
            default:
                return new AiDrafts(outcome.Reply!, null);
        }
    }

    private static (IReadOnlyList<CopyDraft>? Drafts, string? Problem) Parse(string text)
    {
        var (document, error) = LlmJsonReplies.ParseAgainst(text, LlmPrompts.VariantsSchema);
        if (document is null)
        {
            return (null, error);
        }
        using (document)
        {
            var reply = document.RootElement.Deserialize<VariantsReply>(ReplyJson)!;
            if (reply.Variants.Any(v => string.IsNullOrWhiteSpace(v.PrimaryText) || string.IsNullOrWhiteSpace(v.Headline)))
            {
                return (null, "$.variants: a blank primary text or headline");
            }
            return ([.. reply.Variants.Select(v => new CopyDraft(v.PrimaryText.Trim(), v.Headline.Trim(), v.Description.Trim(), v.CallToAction))], null);
        }
    }

    private static string RequestText(GenerationRequest request, BrandProfile brand)
    {
        static JsonArray List(IEnumerable<string> items) => new([.. items.Select(i => (JsonNode)JsonValue.Create(i))]);
        var body = new JsonObject
        {
            ["product"] = request.Product,
            ["angle"] = request.Angle,
            ["angleMeaning"] = AngleMeaning(request.Angle),
            ["format"] = request.Format,
            ["count"] = request.Count,
            ["limits"] = new JsonObject { ["primaryText"] = CopyLimits.PrimaryText, ["headline"] = CopyLimits.Headline, ["description"] = CopyLimits.Description },
            ["brand"] = new JsonObject
            {
                ["voice"] = brand.Voice,
                ["audience"] = brand.Audience,
                ["productsToFeature"] = List(brand.ProductsToFeature),
                ["wordsToAvoid"] = List(brand.WordsToAvoid),
                ["claimsAllowed"] = List(brand.ClaimsAllowed),
            },
        };
        return $"Write {request.Count} variant(s) as the schema asks, for this request (JSON below).\n\n{body.ToJsonString()}";
    }

    private static string AngleMeaning(string angle) => angle switch
    {
        CreativeAngles.SocialProof => "what other customers say: quote only the allowed claims about reviews or ratings, otherwise point to the reviews",
        CreativeAngles.ProblemSolution => "a problem the product solves, then the product as the answer (about the product, never the reader's traits)",
        CreativeAngles.Offer => "the offer: only discounts or perks among the allowed claims; without one, no discount is stated",
        CreativeAngles.Urgency => "a genuine reason to act now, without false scarcity, countdowns or made-up deadlines",
        _ => "what the buyer gets from the product",
    };

    private sealed record VariantsReply(IReadOnlyList<VariantItem> Variants);

    private sealed record VariantItem(string PrimaryText, string Headline, string Description, string CallToAction);
}
