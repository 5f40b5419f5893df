using System.Globalization;
using System.Text.Json;
using AdIntel.Web.Integrations.Shopify.Sync;

namespace AdIntel.Web.Integrations.Shopify.App;

/// <summary>A webhook payload that is JSON but not the shape its topic promises (a required field missing or mistyped).</summary>
public sealed class ShopifyPayloadException(string message) : Exception(message);

/// <summary>
/// Reads the REST-shaped (snake_case) webhook payloads (Shopify's REST shapes) into the sync's records, so webhooks and
/// the GraphQL sync store orders the same way. Money arrives as strings ("59.99"); the <c>*_set.shop_money</c> amount
/// is preferred (the shop's currency), then the plain field.
/// </summary>
public static class ShopifyRestPayloads
{
    public static ShopifyOrderRecord Order(JsonElement order)
    {
        RequireObject(order, "order");
        var customer = order.TryGetProperty("customer", out var c) && c.ValueKind == JsonValueKind.Object ? Customer(c) : null;
        var discountCode = order.TryGetProperty("discount_codes", out var codes) && codes.ValueKind == JsonValueKind.Array
            ? codes.EnumerateArray().Select(d => Text(d, "code")).FirstOrDefault(code => !string.IsNullOrEmpty(code))
            : null;
        return new ShopifyOrderRecord
        {
            Id = RequiredId(order, "id"),
            Name = Text(order, "name") ?? "#" + RequiredId(order, "id").ToString(CultureInfo.InvariantCulture),
            Email = Text(order, "email") ?? Text(order, "contact_email"),
            CreatedAt = RequiredInstant(order, "created_at"),
            UpdatedAt = Instant(order, "updated_at") ?? RequiredInstant(order, "created_at"),
            CancelledAt = Instant(order, "cancelled_at"),
            Test = order.TryGetProperty("test", out var test) && test.ValueKind == JsonValueKind.True,
            SourceName = Text(order, "source_name"),
            Currency = Text(order, "currency") ?? throw new ShopifyPayloadException("The order has no currency."),
            FinancialStatus = Text(order, "financial_status"),
            TotalDiscounts = ShopMoney(order, "total_discounts") ?? 0m,
            TotalShipping = ShopMoney(order, "total_shipping_price") ?? ShippingLines(order),
            TotalTax = ShopMoney(order, "total_tax") ?? 0m,
            TotalPrice = ShopMoney(order, "total_price") ?? throw new ShopifyPayloadException("The order has no total_price."),
            DiscountCode = discountCode,
            Customer = customer,
            Lines = Array(order, "line_items").Select(Line).ToList(),
            Refunds = Array(order, "refunds").Select(Refund).ToList(),
        };
    }

    /// <summary>A refunds/create payload: the refund and the id of its order.</summary>
    public static (long OrderId, ShopifyRefundRecord Refund) RefundOf(JsonElement refund)
    {
        RequireObject(refund, "refund");
        return (RequiredId(refund, "order_id"), Refund(refund));
    }

    public static ShopifyRefundRecord Refund(JsonElement refund)
    {
        var lines = Array(refund, "refund_line_items").ToList();
        var lineSubtotal = lines.Sum(l => ShopMoney(l, "subtotal") ?? 0m);
        var lineTax = lines.Sum(l => ShopMoney(l, "total_tax") ?? 0m);
        // Shipping refunds: refund_shipping_lines in recent versions, a "shipping_refund" order adjustment (negative) in older ones.
        var shippingLines = Array(refund, "refund_shipping_lines").ToList();
        var adjustments = Array(refund, "order_adjustments").ToList();
        var shippingAdjustments = adjustments.Where(a => Text(a, "kind") == "shipping_refund").ToList();
        var shipping = shippingLines.Sum(s => ShopMoney(s, "subtotal_amount") ?? 0m) - shippingAdjustments.Sum(a => ShopMoney(a, "amount") ?? 0m);
        var shippingTax = shippingLines.Sum(s => ShopMoney(s, "tax_amount") ?? 0m) - shippingAdjustments.Sum(a => ShopMoney(a, "tax_amount") ?? 0m);
        var otherAdjustments = adjustments.Where(a => Text(a, "kind") != "shipping_refund").Sum(a => -(ShopMoney(a, "amount") ?? 0m));
        var refunded = Array(refund, "transactions")
            .Where(t => Text(t, "kind") == "refund" && Text(t, "status") is null or "success")
            .Select(t => ShopMoney(t, "amount") ?? 0m).ToList();
        return new ShopifyRefundRecord
        {
            Id = RequiredId(refund, "id"),
            CreatedAt = Instant(refund, "processed_at") ?? RequiredInstant(refund, "created_at"),
            Total = refunded.Count > 0 ? refunded.Sum() : lineSubtotal + lineTax + shipping + shippingTax + otherAdjustments,
            Shipping = shipping,
            Tax = lineTax + shippingTax,
        };
    }

    public static ShopifyProductRecord Product(JsonElement product)
    {
        RequireObject(product, "product");
        return new ShopifyProductRecord
        {
            Id = RequiredId(product, "id"),
            Title = Text(product, "title") ?? "",
            ProductType = Text(product, "product_type"),
            Vendor = Text(product, "vendor"),
            Variants = Array(product, "variants").Select(v => new ShopifyVariantRecord
            {
                Id = RequiredId(v, "id"),
                Sku = Text(v, "sku"),
                Title = Text(v, "title") ?? "",
                Price = ShopMoney(v, "price") ?? 0m,
                // The REST variant has no cost; a payload that embeds its inventory item (includeFields) may.
                UnitCost = v.TryGetProperty("inventory_item", out var item) && item.ValueKind == JsonValueKind.Object ? ShopMoney(item, "cost") : null,
            }).ToList(),
        };
    }

    private static ShopifyCustomerRecord Customer(JsonElement customer) => new()
    {
        Id = RequiredId(customer, "id"),
        Email = Text(customer, "email"),
        FirstName = Text(customer, "first_name"),
        LastName = Text(customer, "last_name"),
        CreatedAt = Instant(customer, "created_at"),
    };

    private static ShopifyLineRecord Line(JsonElement line)
    {
        var allocated = Array(line, "discount_allocations").Sum(a => ShopMoney(a, "amount") ?? 0m);
        return new ShopifyLineRecord
        {
            Id = RequiredId(line, "id"),
            VariantId = Id(line, "variant_id"),
            Sku = Text(line, "sku") is { Length: > 0 } sku ? sku : null,
            Title = Text(line, "name") ?? Text(line, "title") ?? "",
            Quantity = line.TryGetProperty("quantity", out var q) && q.ValueKind == JsonValueKind.Number && q.TryGetInt32(out var quantity)
                ? quantity : throw new ShopifyPayloadException("A line item has no quantity."),
            UnitPrice = ShopMoney(line, "price") ?? throw new ShopifyPayloadException("A line item has no price."),
            Discount = allocated != 0m ? allocated : ShopMoney(line, "total_discount") ?? 0m,
        };
    }

    private static decimal ShippingLines(JsonElement order) =>
        Array(order, "shipping_lines").Sum(s => ShopMoney(s, "discounted_price") ?? ShopMoney(s, "price") ?? 0m);

    /// <summary><c>{name}_set.shop_money.amount</c> when present, else <c>{name}</c> (a string or a number).</summary>
    private static decimal? ShopMoney(JsonElement element, string name)
    {
        if (element.TryGetProperty(name + "_set", out var set) && set.ValueKind == JsonValueKind.Object
            && set.TryGetProperty("shop_money", out var shopMoney) && shopMoney.ValueKind == JsonValueKind.Object
            && Decimal(shopMoney, "amount") is { } amount)
        {
            return amount;
        }
        return Decimal(element, name);
    }

    private static decimal? Decimal(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.Number when value.TryGetDecimal(out var number) => number,
            JsonValueKind.String when decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => throw new ShopifyPayloadException($"“{name}” is not an amount."),
        };
    }

    private static long? Id(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetInt64(out var id) => id,
            JsonValueKind.String when long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) => id,
            JsonValueKind.String when value.GetString()!.StartsWith("gid://", StringComparison.Ordinal) => ShopifyGid.Number(value.GetString()!),
            _ => throw new ShopifyPayloadException($"“{name}” is not a Shopify id."),
        };
    }

    private static long RequiredId(JsonElement element, string name) =>
        Id(element, name) ?? throw new ShopifyPayloadException($"The payload has no “{name}”.");

    public static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static DateTimeOffset? Instant(JsonElement element, string name)
    {
        var text = Text(element, name);
        if (text is null)
        {
            return null;
        }
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            ? instant
            : throw new ShopifyPayloadException($"“{name}” is not a date and time.");
    }

    private static DateTimeOffset RequiredInstant(JsonElement element, string name) =>
        Instant(element, name) ?? throw new ShopifyPayloadException($"The payload has no “{name}”.");

    private static IEnumerable<JsonElement> Array(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
            : [];

    /// <summary>Ids a compliance payload lists (orders_requested, orders_to_redact), as numbers or strings.</summary>
    public static List<long> Ids(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var id) ? id
                : v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed
                : throw new ShopifyPayloadException($"“{name}” holds something that is not an id.")).ToList()
            : [];

    public static long? OptionalId(JsonElement element, string name) => element.ValueKind == JsonValueKind.Object ? Id(element, name) : null;

    private static void RequireObject(JsonElement element, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ShopifyPayloadException($"The payload is not a {what} object.");
        }
    }
}
