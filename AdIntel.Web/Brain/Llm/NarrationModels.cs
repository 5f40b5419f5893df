namespace AdIntel.Web.Brain.Llm;

/// <summary>One figure a recommendation rests on, e.g. ("ROAS", 1.23, "x", "last 7 days") or ("Spend", 1234.56, "USD", "last 7 days").</summary>
public sealed record NarrationFigure(string Name, decimal Value, string Unit, string Window);

/// <summary>A deterministic recommendation as the rules wrote it, identified by its stable <see cref="Key"/>.</summary>
public sealed record NarrationInput(string Key, string Type, string Title, string Reasoning, IReadOnlyList<NarrationFigure> Figures);

/// <summary>What the store owner reads for one recommendation: the LLM's wording when it passed every check, else the rules' own.</summary>
public sealed record NarratedRecommendation(string Key, string Title, string Reasoning, bool ByLlm);

/// <summary>A recommendation the LLM added, with the given figures it cites (the only numbers its text may state).</summary>
public sealed record AddedRecommendation(string Title, string Reasoning, IReadOnlyList<NarrationFigure> Figures);

public enum NarrationSource
{
    /// <summary>The rules' own text (see <see cref="NarrationResult.Fallback"/> for why).</summary>
    Deterministic,
    /// <summary>Rewritten by the LLM (recommendations whose rewrite failed a check keep the rules' text).</summary>
    Llm,
}

/// <summary>Why a narration kept the rules' text.</summary>
public enum NarrationFallback
{
    None,
    NotConfigured,
    NoRecommendations,
    BudgetExhausted,
    /// <summary>The provider failed (after its retries), timed out or answered something that is not its protocol.</summary>
    ProviderError,
    Refused,
    /// <summary>Twice an answer that did not match the schema.</summary>
    InvalidReply,
}

/// <summary>
/// The recommendations in the order given, each with the text to show, plus the LLM's own; <see cref="Dropped"/>
/// counts rewrites and additions thrown away for stating numbers they were not given.
/// </summary>
public sealed record NarrationResult(
    NarrationSource Source,
    NarrationFallback Fallback,
    IReadOnlyList<NarratedRecommendation> Recommendations,
    IReadOnlyList<AddedRecommendation> Added,
    int Dropped)
{
    /// <summary>A line for the screen saying where the text comes from.</summary>
    public string Notice => Fallback switch
    {
        NarrationFallback.None => "Rewritten in plain language by AI; every number is checked against AdIntel's figures.",
        NarrationFallback.NotConfigured => "AI not configured: recommendations use AdIntel's deterministic text.",
        NarrationFallback.BudgetExhausted => "This month's AI token budget is used up: recommendations use AdIntel's deterministic text.",
        NarrationFallback.NoRecommendations => "",
        _ => "The AI could not rewrite the recommendations this time: they use AdIntel's deterministic text.",
    };

    public static NarrationResult Deterministic(IReadOnlyList<NarrationInput> inputs, NarrationFallback why) => new(
        NarrationSource.Deterministic, why,
        [.. inputs.Select(i => new NarratedRecommendation(i.Key, i.Title, i.Reasoning, ByLlm: false))], [], 0);
}
