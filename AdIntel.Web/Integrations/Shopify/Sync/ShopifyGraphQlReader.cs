using System.Buffers.Text;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace AdIntel.Web.Integrations.Shopify.Sync;

/// <summary>
/// Reads the Admin API's JSON (a page's nodes or a bulk result's rows) into the sync's records. Money is Shopify's
/// <c>shopMoney</c> (the shop currency), whose <c>amount</c> is a decimal in a JSON string; absent money counts 0.
/// </summary>
internal static class ShopifyGraphQlReader
{
    /// <summary>An order being assembled: from a page's node at once, or from a bulk order row and its child rows.</summary>
    public sealed class OrderBuilder
    {
        public required ShopifyOrderRecord Order { get; init; }
        public Dictionary<long, RefundBuilder> Refunds { get; } = [];

        public ShopifyOrderRecord Build()
        {
            Order.Refunds.Clear();
            Order.Refunds.AddRange(Refunds.Values.Select(r => r.Build()));
            return Order;
        }
    }

    /// <summary>
    /// A refund with what its lines and shipping lines add up to: taxes are the lines' and the shipping's, shipping is the
    /// shipping lines' subtotal, and the merchandise amount is what remains of the total (so a refund of a custom amount,
    /// without lines, counts as merchandise).
    /// </summary>
    public sealed class RefundBuilder(long id, DateTimeOffset createdAt, decimal total)
    {
        public long Id => id;
        public decimal Tax { get; set; }
        public decimal Shipping { get; set; }

        public ShopifyRefundRecord Build() => new() { Id = id, CreatedAt = createdAt, Total = total, Shipping = Shipping, Tax = Tax };
    }

    /// <summary>An order's own fields, customer and (when the node has them inline) lines and refunds.</summary>
    public static OrderBuilder ReadOrder(JsonElement node) => ReadOrderRow(JsonMarshal.GetRawUtf8Value(node)).ToOrder();

    public static ShopifyCustomerRecord ReadCustomer(JsonElement node) => ReadOrderRow(JsonMarshal.GetRawUtf8Value(node)).ToCustomer();

    /// <summary>
    /// One row of the orders bulk result (an order, a line, a refund's line or shipping line) from its UTF-8 JSON, into
    /// <paramref name="node"/> when given (a reused node: what it held before is forgotten).
    /// </summary>
    public static ShopifyOrderNode ReadOrderRow(ReadOnlySpan<byte> json, ShopifyOrderNode? node = null)
    {
        var reader = Start(json);
        if (node is null)
        {
            return ShopifyOrderNode.Read(ref reader);
        }
        node.ReadAgain(ref reader);
        return node;
    }

    private static Utf8JsonReader Start(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A Shopify object is not a JSON object.");
        }
        return reader;
    }

    /// <summary>Whether a page's node left lines, refund lines or shipping lines on a next page (then it is read again in bulk).</summary>
    public static bool IsTruncated(JsonElement node)
    {
        if (node.TryGetProperty("lineItems", out var lines) && HasNextPage(lines))
        {
            return true;
        }
        return node.TryGetProperty("refunds", out var refunds) && refunds.ValueKind == JsonValueKind.Array
            && refunds.EnumerateArray().Any(r => (r.TryGetProperty("refundLineItems", out var rl) && HasNextPage(rl))
                || (r.TryGetProperty("refundShippingLines", out var rs) && HasNextPage(rs)));
    }

    public static ShopifyProductRecord ReadProduct(JsonElement node)
    {
        var product = new ShopifyProductRecord
        {
            Id = ShopifyGid.Number(Text(node, "id")!),
            Title = Text(node, "title") ?? "",
            ProductType = Text(node, "productType"),
            Vendor = Text(node, "vendor"),
        };
        if (node.TryGetProperty("variants", out var variants))
        {
            foreach (var variant in Nodes(variants))
            {
                product.Variants.Add(ReadVariant(variant));
            }
        }
        return product;
    }

    public static ShopifyVariantRecord ReadVariant(JsonElement node) => new()
    {
        Id = ShopifyGid.Number(Text(node, "id")!),
        Title = Text(node, "title") ?? "",
        Sku = Text(node, "sku"),
        Price = Decimal(node, "price") ?? 0m,
        UnitCost = UnitCost(node),
    };

    public static bool HasNextPage(JsonElement connection) =>
        connection.ValueKind == JsonValueKind.Object && connection.TryGetProperty("pageInfo", out var info)
        && info.TryGetProperty("hasNextPage", out var next) && next.ValueKind == JsonValueKind.True;

    /// <summary>A connection's nodes, whether asked as <c>nodes</c> or <c>edges { node }</c>.</summary>
    public static IEnumerable<JsonElement> Nodes(JsonElement connection)
    {
        if (connection.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }
        if (connection.TryGetProperty("nodes", out var nodes) && nodes.ValueKind == JsonValueKind.Array)
        {
            foreach (var node in nodes.EnumerateArray())
            {
                yield return node;
            }
        }
        else if (connection.TryGetProperty("edges", out var edges) && edges.ValueKind == JsonValueKind.Array)
        {
            foreach (var edge in edges.EnumerateArray())
            {
                if (edge.TryGetProperty("node", out var node))
                {
                    yield return node;
                }
            }
        }
    }

    private static decimal? UnitCost(JsonElement variant) =>
        variant.TryGetProperty("inventoryItem", out var item) && item.ValueKind == JsonValueKind.Object
        && item.TryGetProperty("unitCost", out var cost) && cost.ValueKind == JsonValueKind.Object
            ? Decimal(cost, "amount")
            : null;

    public static string? Text(JsonElement node, string name) =>
        node.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>Shopify's Decimal is a JSON string; a number is accepted too.</summary>
    private static decimal? Decimal(JsonElement node, string name)
    {
        if (!node.TryGetProperty(name, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            // In place from the UTF-8 text between the quotes when it is a plain number (no escapes, no spaces).
            JsonValueKind.String when JsonMarshal.GetRawUtf8Value(value) is { Length: > 2 } raw
                && Utf8Parser.TryParse(raw[1..^1], out decimal amount, out var consumed) && consumed == raw.Length - 2 => amount,
            JsonValueKind.String => decimal.Parse(value.GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture),
            JsonValueKind.Number => value.GetDecimal(),
            _ => null,
        };
    }
}
