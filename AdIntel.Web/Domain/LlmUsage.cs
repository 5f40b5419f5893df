namespace AdIntel.Web.Domain;

/// <summary>Tokens one store's LLM calls used in one store-local month, counted against <c>Llm:MonthlyTokenBudget</c>.</summary>
public sealed class LlmUsage : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    /// <summary>The first day of the store-local month.</summary>
    public DateOnly Month { get; set; }
    public long InputTokens { get; set; }
    public long OutputTokens { get; set; }
    /// <summary>Calls to the provider (each retry after an invalid answer counts).</summary>
    public int Requests { get; set; }
    public DateTime UpdatedAtUtc { get; set; }

    public long TotalTokens => InputTokens + OutputTokens;
}
