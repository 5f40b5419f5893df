using System.Text.Json;
using System.Text.Json.Serialization;

namespace AdIntel.Web.Integrations.Shopify.Sync;

/// <summary>
/// Where a store's Shopify sync stands, kept in <c>IntegrationConnection.CheckpointJson</c> and saved in the same
/// transaction as the rows it accounts for, so a sync stopped at any point resumes exactly where its last commit left it.
/// </summary>
public sealed class ShopifyCheckpoint
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A bulk read in progress (a backfill, or an incremental sync with many changes); null when none is.</summary>
    public ShopifyBulkRead? Bulk { get; set; }

    /// <summary>High-water marks: the next incremental sync reads what changed since (minus the overlap).</summary>
    public DateTimeOffset? OrdersUpdatedAt { get; set; }
    public DateTimeOffset? ProductsUpdatedAt { get; set; }
    public DateTimeOffset? CustomersUpdatedAt { get; set; }
    public DateTimeOffset? LastBackfillCompletedAt { get; set; }

    public static ShopifyCheckpoint Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return new ShopifyCheckpoint();
        }
        try
        {
            return JsonSerializer.Deserialize<ShopifyCheckpoint>(json, Json) ?? new ShopifyCheckpoint();
        }
        catch (JsonException)
        {
            // An unreadable checkpoint costs a backfill, never a failed sync.
            return new ShopifyCheckpoint();
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}

/// <summary>A bulk read: which stage, the operation, how many result rows are committed, and what must be read again.</summary>
public sealed class ShopifyBulkRead
{
    /// <summary>backfill (products, customers, orders in turn) or incremental (orders changed since <see cref="Search"/>).</summary>
    public required string Kind { get; set; }
    /// <summary>products, customers or orders.</summary>
    public required string Stage { get; set; }
    /// <summary>When this read began: the high-water mark it leaves behind.</summary>
    public required DateTimeOffset StartedAt { get; set; }
    /// <summary>The orders' search (incremental), or null for everything.</summary>
    public string? Search { get; set; }
    public string? OperationId { get; set; }
    /// <summary>Bulk operations already started for the stages still to come (API 2026-01+ runs up to five at once).</summary>
    public Dictionary<string, string> NextOperations { get; set; } = [];
    /// <summary>Result rows (JSONL lines) whose data is committed; a resumed read skips them.</summary>
    public long RowsDone { get; set; }
    public long OrdersDone { get; set; }
    /// <summary>Orders (or products) whose child rows arrived apart from them: read again at the end.</summary>
    public List<long> Refetch { get; set; } = [];
    /// <summary>Child rows of refunds whose order was not seen in this process: refunded orders are read again at the end.</summary>
    public bool RefetchRefunded { get; set; }
}
