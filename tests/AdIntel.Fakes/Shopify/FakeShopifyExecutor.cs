using System.Globalization;
using System.Text;
using System.Text.Json;
using static AdIntel.Fakes.Shopify.FakeShopifySchema;

namespace AdIntel.Fakes.Shopify;

/// <summary>
/// Validates a parsed operation against <see cref="FakeShopifySchema"/>, computes its requested cost the way Shopify
/// documents it (objects 1, connections 2 + <c>first</c> × the cost of a node, mutations 10), and renders the answer
/// from a shop's <see cref="FakeShopifyCatalog"/> with exactly the fields asked for. In bulk mode nested connections are
/// not rendered inline: their nodes become rows of their own with <c>__parentId</c> (see <see cref="FakeShopifyBulk"/>).
/// </summary>
internal sealed class FakeShopifyExecutor
{
    public const int MaxPageSize = 250;

    private readonly FakeShopifyCatalog _catalog;
    private Dictionary<long, (int Count, decimal Spent)>? _customerStats;

    public FakeShopifyExecutor(FakeShopifyCatalog catalog, bool allOrders, DateTimeOffset now)
    {
        _catalog = catalog;
        AllOrders = allOrders;
        Now = now;
    }

    /// <summary>Without read_all_orders, only the last 60 days of orders are visible.</summary>
    public bool AllOrders { get; }
    public DateTimeOffset Now { get; }
    /// <summary>Objects and connections actually returned (the actual query cost).</summary>
    public int ActualCost { get; set; }
    public bool Bulk { get; init; }
    public List<DeferredConnection> Deferred { get; } = [];
    /// <summary>Resolves the root fields that are not catalog reads (bulk operations, the shop).</summary>
    public Func<GqlField, Utf8JsonWriter, FakeShopifyExecutor, bool>? RootResolver { get; init; }

    public sealed record DeferredConnection(string ParentGid, string NodeType, IReadOnlyList<object> Items, IReadOnlyList<GqlField> NodeSelections);

    // ---- validation and requested cost ----

    /// <summary>Throws <see cref="GqlException"/> for unknown fields or bad arguments; returns the requested cost.</summary>
    public static int Validate(GqlOperation operation, bool bulk)
    {
        var root = operation.Kind == "mutation" ? "Mutation" : "QueryRoot";
        var cost = Cost(root, operation.Selections, bulk, depth: 0);
        return operation.Kind == "mutation" ? 10 : cost;
    }

    private static int Cost(string type, IReadOnlyList<GqlField> selections, bool bulk, int depth)
    {
        var total = 0;
        foreach (var field in selections)
        {
            if (field.Name.StartsWith(FakeGraphQlParser.InlineFragmentPrefix, StringComparison.Ordinal))
            {
                var fragmentType = field.Name[FakeGraphQlParser.InlineFragmentPrefix.Length..];
                if (!Types.ContainsKey(fragmentType))
                {
                    throw new GqlException($"No such type {fragmentType}, so it can't be a fragment condition", "undefinedType");
                }
                total += Cost(fragmentType, field.Selections, bulk, depth);
                continue;
            }
            if (field.Name == "__typename")
            {
                continue;
            }
            if (!Types[type].TryGetValue(field.Name, out var fieldType))
            {
                throw new GqlException($"Field '{field.Name}' doesn't exist on type '{type}'", "undefinedField");
            }
            if (fieldType.Kind == Kind.Scalar)
            {
                if (field.Selections.Count > 0)
                {
                    throw new GqlException($"Selections can't be made on scalars (field '{field.Name}' returns a scalar)", "selectionMismatch");
                }
                continue;
            }
            if (field.Selections.Count == 0)
            {
                throw new GqlException($"Field must have selections (field '{field.Name}' returns {fieldType.Type} but has no selections. Did you mean '{field.Name} {{ ... }}'?)", "selectionMismatch");
            }
            switch (fieldType.Kind)
            {
                case Kind.Object:
                    total += 1 + Cost(fieldType.Type!, field.Selections, bulk, depth);
                    break;
                case Kind.List:
                    total += ListSize(field) * (1 + Cost(fieldType.Type!, field.Selections, bulk, depth));
                    break;
                case Kind.Connection:
                    var first = First(field, bulk);
                    var nodeCost = 0;
                    foreach (var part in field.Selections)
                    {
                        switch (part.Name)
                        {
                            case "nodes":
                                nodeCost = Math.Max(nodeCost, 1 + Cost(fieldType.Type!, part.Selections, bulk, depth + 1));
                                break;
                            case "edges":
                                foreach (var edgePart in part.Selections)
                                {
                                    if (edgePart.Name == "node")
                                    {
                                        nodeCost = Math.Max(nodeCost, 1 + Cost(fieldType.Type!, edgePart.Selections, bulk, depth + 1));
                                    }
                                    else if (edgePart.Name != "cursor")
                                    {
                                        throw new GqlException($"Field '{edgePart.Name}' doesn't exist on type '{fieldType.Type}Edge'", "undefinedField");
                                    }
                                }
                                break;
                            case "pageInfo":
                                Cost("PageInfo", part.Selections, bulk, depth);
                                break;
                            default:
                                throw new GqlException($"Field '{part.Name}' doesn't exist on type '{fieldType.Type}Connection'", "undefinedField");
                        }
                    }
                    total += 2 + first * nodeCost;
                    break;
            }
        }
        return total;
    }

    private static int First(GqlField field, bool bulk)
    {
        var first = field.Argument("first") ?? field.Argument("last");
        if (first is null)
        {
            // Bulk queries name no page size: the whole connection is read.
            return bulk ? 1 : throw new GqlException("you must provide one of first or last", "argumentLiteralsIncompatible");
        }
        if (first is not long size || size < 0)
        {
            throw new GqlException($"Argument 'first' on Field '{field.Name}' has an invalid value", "argumentLiteralsIncompatible");
        }
        if (size > MaxPageSize)
        {
            throw new GqlException($"The maximum value of first or last is {MaxPageSize}.", "argumentLiteralsIncompatible");
        }
        return (int)size;
    }

    private static int ListSize(GqlField field) => field.Argument("first") is long first and >= 0 ? (int)first : 1;

    // ---- rendering ----

    public void WriteSelections(Utf8JsonWriter writer, string type, object? source, IReadOnlyList<GqlField> selections, string? ownerGid)
    {
        foreach (var field in selections)
        {
            if (field.Name.StartsWith(FakeGraphQlParser.InlineFragmentPrefix, StringComparison.Ordinal))
            {
                if (field.Name[FakeGraphQlParser.InlineFragmentPrefix.Length..] == type)
                {
                    WriteSelections(writer, type, source, field.Selections, ownerGid);
                }
                continue;
            }
            if (field.Name == "__typename")
            {
                writer.WriteString(field.Alias, type);
                continue;
            }
            var fieldType = Types[type][field.Name];
            if (Bulk && fieldType.Kind == Kind.Connection && source is not null)
            {
                Deferred.Add(new DeferredConnection(ownerGid ?? throw new GqlException("bulk queries need an id on the parent of a nested connection", "INVALID"),
                    fieldType.Type!, ConnectionItems(type, source, field), NodeSelections(field)));
                continue;
            }
            writer.WritePropertyName(field.Alias);
            WriteField(writer, type, source, field, fieldType, ownerGid);
        }
    }

    public void WriteObject(Utf8JsonWriter writer, string type, object? source, IReadOnlyList<GqlField> selections, string? ownerGid, string? parentId = null)
    {
        if (source is null)
        {
            writer.WriteNullValue();
            return;
        }
        ActualCost++;
        writer.WriteStartObject();
        WriteSelections(writer, type, source, selections, Gid(type, source) ?? ownerGid);
        if (parentId is not null)
        {
            writer.WriteString("__parentId", parentId);
        }
        writer.WriteEndObject();
    }

    private void WriteField(Utf8JsonWriter writer, string type, object? source, GqlField field, FieldType fieldType, string? ownerGid)
    {
        if (type is "QueryRoot" or "Mutation")
        {
            WriteRoot(writer, field);
            return;
        }
        switch (fieldType.Kind)
        {
            case Kind.Scalar:
                WriteScalar(writer, Scalar(type, source!, field.Name));
                return;
            case Kind.Object:
                WriteObject(writer, fieldType.Type!, Child(type, source!, field.Name), field.Selections, ownerGid);
                return;
            case Kind.List:
                writer.WriteStartArray();
                var items = ListItems(type, source!, field.Name);
                var limit = field.Argument("first") is long first ? (int)first : int.MaxValue;
                foreach (var item in items.Take(limit))
                {
                    WriteObject(writer, fieldType.Type!, item, field.Selections, ownerGid);
                }
                writer.WriteEndArray();
                return;
            case Kind.Connection:
                WriteConnection(writer, field, fieldType.Type!, ConnectionItems(type, source!, field), ownerGid, item => IndexCursor(item));
                return;
        }
    }

    private void WriteRoot(Utf8JsonWriter writer, GqlField field)
    {
        if (RootResolver?.Invoke(field, writer, this) == true)
        {
            return;
        }
        switch (field.Name)
        {
            case "orders":
            {
                var (items, key) = RootItems(field, _catalog.Orders, o => o.Id, o => o.UpdatedAt, o => o.CreatedAt, OrderFilter);
                WriteConnection(writer, field, "Order", items, null, item => KeyCursor(key(item)));
                return;
            }
            case "customers":
            {
                var (items, key) = RootItems(field, _catalog.Customers, c => c.Id, c => c.CreatedAt, c => c.CreatedAt, CustomerFilter);
                WriteConnection(writer, field, "Customer", items, null, item => KeyCursor(key(item)));
                return;
            }
            case "products":
            {
                var (items, key) = RootItems(field, _catalog.Products, p => p.Id, p => p.UpdatedAt, p => p.UpdatedAt, ProductFilter);
                WriteConnection(writer, field, "Product", items, null, item => KeyCursor(key(item)));
                return;
            }
            case "ordersCount":
            {
                var filter = FakeShopifySearch.Parse(field.Argument("query") as string);
                var count = VisibleOrders().Count(o => filter.Matches(name => OrderFilter(o, name)));
                ActualCost++;
                writer.WriteStartObject();
                foreach (var part in field.Selections)
                {
                    if (part.Name == "count") writer.WriteNumber(part.Alias, count);
                    else if (part.Name == "precision") writer.WriteString(part.Alias, "EXACT");
                }
                writer.WriteEndObject();
                return;
            }
            case "order":
            {
                var id = field.Argument("id") as string;
                var order = id is not null && TryNumber(id, "Order", out var number) && _catalog.OrdersById.TryGetValue(number, out var found) ? found : null;
                WriteObject(writer, "Order", order, field.Selections, null);
                return;
            }
            default:
                writer.WriteNullValue();
                return;
        }
    }

    /// <summary>Every item of a root connection (orders, customers, products) that its <c>query</c> selects, in its sort order.</summary>
    public (string NodeType, List<object> Items) RootConnection(GqlField field) => field.Name switch
    {
        "orders" => ("Order", RootItems(field, _catalog.Orders, o => o.Id, o => o.UpdatedAt, o => o.CreatedAt, OrderFilter).Items),
        "customers" => ("Customer", RootItems(field, _catalog.Customers, c => c.Id, c => c.CreatedAt, c => c.CreatedAt, CustomerFilter).Items),
        "products" => ("Product", RootItems(field, _catalog.Products, p => p.Id, p => p.UpdatedAt, p => p.UpdatedAt, ProductFilter).Items),
        _ => throw new GqlException($"Bulk queries must start with a connection field of QueryRoot, not '{field.Name}'.", "INVALID"),
    };

    private IEnumerable<FakeOrder> VisibleOrders() => AllOrders ? _catalog.Orders : _catalog.Orders.Where(o => o.CreatedAt >= Now.AddDays(-60));

    /// <summary>A root connection's items: filtered by <c>query</c>, sorted by <c>sortKey</c> (then id), reversed on request.</summary>
    private (List<object> Items, Func<object, (long, long)> Key) RootItems<T>(GqlField field, IEnumerable<T> all, Func<T, long> id,
        Func<T, DateTimeOffset> updatedAt, Func<T, DateTimeOffset> createdAt, Func<T, string, object?> fieldValue) where T : class
    {
        var filter = FakeShopifySearch.Parse(field.Argument("query") as string);
        var sortKey = (field.Argument("sortKey") as GqlEnum)?.Value ?? "ID";
        Func<T, long> primary = sortKey switch
        {
            "UPDATED_AT" => x => updatedAt(x).UtcTicks,
            "CREATED_AT" or "PROCESSED_AT" => x => createdAt(x).UtcTicks,
            "ID" => x => 0,
            _ => throw new GqlException($"Argument 'sortKey' on Field '{field.Name}' has an invalid value ({sortKey}).", "argumentLiteralsIncompatible"),
        };
        var source = typeof(T) == typeof(FakeOrder) ? VisibleOrders().Cast<T>() : all;
        var items = source.Where(x => filter.Matches(name => fieldValue(x, name)))
            .OrderBy(primary).ThenBy(id).Cast<object>().ToList();
        if (field.Argument("reverse") is true)
        {
            items.Reverse();
        }
        return (items, item => (primary((T)item), id((T)item)));
    }

    private static object? OrderFilter(FakeOrder order, string name) => name switch
    {
        "updated_at" => order.UpdatedAt,
        "created_at" or "processed_at" => order.CreatedAt,
        "id" => order.Id,
        "test" => order.Test,
        "financial_status" => order.FinancialStatus.ToLowerInvariant(),
        "status" => order.CancelledAt is null ? "open" : "cancelled",
        "source_name" => order.SourceName,
        "customer_id" => order.Customer?.Id,
        _ => FakeShopifySearch.UnknownField,
    };

    private static object? CustomerFilter(FakeCustomer customer, string name) => name switch
    {
        "updated_at" or "created_at" => customer.CreatedAt,
        "id" => customer.Id,
        "email" => customer.Email,
        _ => FakeShopifySearch.UnknownField,
    };

    private static object? ProductFilter(FakeProduct product, string name) => name switch
    {
        "updated_at" => product.UpdatedAt,
        "id" => product.Id,
        "product_type" => product.ProductType,
        "vendor" => product.Vendor,
        _ => FakeShopifySearch.UnknownField,
    };

    public void WriteConnection(Utf8JsonWriter writer, GqlField field, string nodeType, IReadOnlyList<object> items, string? ownerGid,
        Func<object, string> cursorOf)
    {
        ActualCost += 2;
        var start = 0;
        if (field.Argument("after") is string after)
        {
            var decoded = DecodeCursor(after);
            start = items.Count;
            for (var i = 0; i < items.Count; i++)
            {
                if (string.CompareOrdinal(cursorOf(items[i]), decoded) > 0)
                {
                    start = i;
                    break;
                }
            }
        }
        var size = Bulk ? int.MaxValue : (int)(field.Argument("first") as long? ?? field.Argument("last") as long? ?? 0);
        var page = items.Skip(start).Take(size).ToList();
        var hasNext = start + page.Count < items.Count;
        writer.WriteStartObject();
        foreach (var part in field.Selections)
        {
            writer.WritePropertyName(part.Alias);
            switch (part.Name)
            {
                case "nodes":
                    writer.WriteStartArray();
                    foreach (var item in page)
                    {
                        WriteObject(writer, nodeType, item, part.Selections, ownerGid);
                    }
                    writer.WriteEndArray();
                    break;
                case "edges":
                    writer.WriteStartArray();
                    foreach (var item in page)
                    {
                        writer.WriteStartObject();
                        foreach (var edgePart in part.Selections)
                        {
                            writer.WritePropertyName(edgePart.Alias);
                            if (edgePart.Name == "cursor")
                            {
                                writer.WriteStringValue(EncodeCursor(cursorOf(item)));
                            }
                            else
                            {
                                WriteObject(writer, nodeType, item, edgePart.Selections, ownerGid);
                            }
                        }
                        writer.WriteEndObject();
                    }
                    writer.WriteEndArray();
                    break;
                case "pageInfo":
                    writer.WriteStartObject();
                    foreach (var info in part.Selections)
                    {
                        switch (info.Name)
                        {
                            case "hasNextPage": writer.WriteBoolean(info.Alias, hasNext); break;
                            case "hasPreviousPage": writer.WriteBoolean(info.Alias, start > 0); break;
                            case "startCursor":
                                if (page.Count > 0) writer.WriteString(info.Alias, EncodeCursor(cursorOf(page[0]))); else writer.WriteNull(info.Alias);
                                break;
                            case "endCursor":
                                if (page.Count > 0) writer.WriteString(info.Alias, EncodeCursor(cursorOf(page[^1]))); else writer.WriteNull(info.Alias);
                                break;
                        }
                    }
                    writer.WriteEndObject();
                    break;
            }
        }
        writer.WriteEndObject();
    }

    public static IReadOnlyList<GqlField> NodeSelections(GqlField connection) =>
        connection.Selections.FirstOrDefault(s => s.Name == "nodes")?.Selections
        ?? connection.Selections.FirstOrDefault(s => s.Name == "edges")?.Selections.FirstOrDefault(s => s.Name == "node")?.Selections
        ?? [];

    // Cursors are opaque to clients: base64 of a sortable key. Keys of root connections are (sort value, id); of nested
    // connections the position.
    private static string KeyCursor((long Primary, long Id) key) =>
        key.Primary.ToString("D20", CultureInfo.InvariantCulture) + ":" + key.Id.ToString("D20", CultureInfo.InvariantCulture);

    private readonly Dictionary<object, int> _positions = new(ReferenceEqualityComparer.Instance);

    private string IndexCursor(object item) => _positions.TryGetValue(item, out var index) ? "p:" + index.ToString("D10", CultureInfo.InvariantCulture) : "p:0";

    private static string EncodeCursor(string raw) => Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"last\":\"" + raw + "\"}"));

    private static string DecodeCursor(string cursor)
    {
        try
        {
            using var document = JsonDocument.Parse(Convert.FromBase64String(cursor));
            return document.RootElement.GetProperty("last").GetString() ?? throw new FormatException();
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException)
        {
            throw new GqlException("Invalid cursor for current pagination sort.", "argumentLiteralsIncompatible");
        }
    }

    private IReadOnlyList<object> ConnectionItems(string type, object source, GqlField field)
    {
        IReadOnlyList<object> items = (type, field.Name) switch
        {
            ("Order", "lineItems") => ((FakeOrder)source).Lines,
            ("Refund", "refundLineItems") => ((FakeRefund)source).Lines,
            ("Refund", "refundShippingLines") => ((FakeRefund)source).Shipping > 0 ? [new RefundShipping((FakeRefund)source)] : [],
            ("Product", "variants") => ((FakeProduct)source).Variants,
            _ => throw new GqlException($"Field '{field.Name}' doesn't exist on type '{type}'", "undefinedField"),
        };
        for (var i = 0; i < items.Count; i++)
        {
            _positions[items[i]] = i;
        }
        return items;
    }

    private static IReadOnlyList<object> ListItems(string type, object source, string name) => (type, name) switch
    {
        ("Order", "refunds") => ((FakeOrder)source).Refunds,
        (_, "userErrors") => ((FakePayload)source).UserErrors,
        _ => [],
    };

    /// <summary>A refund's shipping line (the fake keeps shipping refunds as two amounts on the refund).</summary>
    private sealed record RefundShipping(FakeRefund Refund);

    /// <summary>A mutation's answer: the bulk operation (if any) and its user errors.</summary>
    public sealed record FakePayload(FakeBulkOperation? Operation, IReadOnlyList<object> UserErrors);

    public sealed record FakeUserError(string[]? Field, string Message, string? Code);

    private sealed record Money(decimal Amount, string Currency);

    private object? Child(string type, object source, string name)
    {
        var currency = _catalog.Currency;
        Money M(decimal amount) => new(amount, currency);
        switch (type)
        {
            case "Order":
                var order = (FakeOrder)source;
                return name switch
                {
                    "totalPriceSet" => M(order.TotalPrice),
                    "subtotalPriceSet" => M(order.Subtotal),
                    "totalDiscountsSet" or "currentTotalDiscountsSet" => M(order.Discounts),
                    "totalTaxSet" => M(order.Tax),
                    "currentTotalTaxSet" => M(order.Tax - order.Refunds.Sum(r => r.Lines.Sum(l => l.Tax) + r.ShippingTax)),
                    "totalShippingPriceSet" => M(order.Shipping),
                    "totalRefundedSet" => M(order.TotalRefunded),
                    "totalRefundedShippingSet" => M(order.Refunds.Sum(r => r.Shipping)),
                    "currentTotalPriceSet" or "netPaymentSet" => M(order.TotalPrice - order.TotalRefunded),
                    "currentSubtotalPriceSet" => M(order.Subtotal - order.Refunds.Sum(r => r.Lines.Sum(l => l.Subtotal))),
                    "customer" => order.Customer,
                    _ => null,
                };
            case "MoneyBag":
                return source;
            case "LineItem":
                var line = (FakeLineItem)source;
                return name switch
                {
                    "originalUnitPriceSet" => M(line.Price),
                    "discountedUnitPriceAfterAllDiscountsSet" => M(line.Quantity == 0 ? line.Price : Math.Round((line.Price * line.Quantity - line.Discount) / line.Quantity, 2)),
                    "totalDiscountSet" => M(line.Discount),
                    "variant" => line.Variant,
                    _ => null,
                };
            case "ProductVariant":
                var variant = (FakeVariant)source;
                return name switch { "product" => variant.Product, "inventoryItem" => variant, _ => null };
            case "InventoryItem":
                return ((FakeVariant)source).UnitCost is { } cost ? M(cost) : null;
            case "Refund":
                return M(((FakeRefund)source).Total);
            case "RefundLineItem":
                var refundLine = (FakeRefundLine)source;
                return name switch
                {
                    "subtotalSet" => M(refundLine.Subtotal),
                    "totalTaxSet" => M(refundLine.Tax),
                    "lineItem" => refundLine.LineItem,
                    _ => null,
                };
            case "RefundShippingLine":
                var shipping = ((RefundShipping)source).Refund;
                return M(name == "subtotalAmountSet" ? shipping.Shipping : shipping.ShippingTax);
            case "Customer":
                return M(CustomerStats((FakeCustomer)source).Spent);
            case "BulkOperationRunQueryPayload" or "BulkOperationCancelPayload":
                return ((FakePayload)source).Operation;
            default:
                return null;
        }
    }

    private (int Count, decimal Spent) CustomerStats(FakeCustomer customer)
    {
        _customerStats ??= _catalog.Orders.Where(o => o.Customer is not null).GroupBy(o => o.Customer!.Id)
            .ToDictionary(g => g.Key, g => (g.Count(), g.Sum(o => o.TotalPrice - o.TotalRefunded)));
        return _customerStats.TryGetValue(customer.Id, out var stats) ? stats : (0, 0m);
    }

    private object? Scalar(string type, object source, string name)
    {
        switch (type)
        {
            case "Order":
                var order = (FakeOrder)source;
                return name switch
                {
                    "id" => Gid("Order", order.Id),
                    "legacyResourceId" => order.Id.ToString(CultureInfo.InvariantCulture),
                    "name" => order.Name,
                    "email" => order.Email,
                    "createdAt" or "processedAt" => order.CreatedAt,
                    "updatedAt" => order.UpdatedAt,
                    "cancelledAt" => order.CancelledAt,
                    "cancelReason" => order.CancelledAt is null ? null : "CUSTOMER",
                    "test" => order.Test,
                    "sourceName" => order.SourceName,
                    "currencyCode" or "presentmentCurrencyCode" => order.Currency,
                    "displayFinancialStatus" => order.FinancialStatus,
                    "discountCode" => order.DiscountCode,
                    _ => null,
                };
            case "MoneyV2":
                var money = (Money)source;
                return name == "amount" ? money.Amount.ToString(CultureInfo.InvariantCulture) : money.Currency;
            case "LineItem":
                var line = (FakeLineItem)source;
                return name switch
                {
                    "id" => Gid("LineItem", line.Id),
                    "name" => line.Name,
                    "title" => line.Variant?.Product.Title ?? line.Name,
                    "sku" => line.Sku,
                    "quantity" => (long)line.Quantity,
                    "currentQuantity" => (long)(line.Quantity - line.RefundedQuantity),
                    _ => null,
                };
            case "ProductVariant":
                var variant = (FakeVariant)source;
                return name switch
                {
                    "id" => Gid("ProductVariant", variant.Id),
                    "legacyResourceId" => variant.Id.ToString(CultureInfo.InvariantCulture),
                    "title" => variant.Title,
                    "displayName" => variant.Product.Title + " - " + variant.Title,
                    "sku" => variant.Sku,
                    "price" => variant.Price.ToString(CultureInfo.InvariantCulture),
                    _ => null,
                };
            case "InventoryItem":
                var item = (FakeVariant)source;
                return name == "id" ? Gid("InventoryItem", item.InventoryItemId) : item.Sku;
            case "Refund":
                var refund = (FakeRefund)source;
                return name == "id" ? Gid("Refund", refund.Id) : refund.CreatedAt;
            case "RefundLineItem":
                var refundLine = (FakeRefundLine)source;
                return name == "id" ? Gid("RefundLineItem", refundLine.Id) : (long)refundLine.Quantity;
            case "RefundShippingLine":
                return Gid("RefundShippingLine", ((RefundShipping)source).Refund.Id);
            case "Customer":
                var customer = (FakeCustomer)source;
                return name switch
                {
                    "id" => Gid("Customer", customer.Id),
                    "legacyResourceId" => customer.Id.ToString(CultureInfo.InvariantCulture),
                    "email" => customer.Email,
                    "firstName" => customer.FirstName,
                    "lastName" => customer.LastName,
                    "createdAt" or "updatedAt" => customer.CreatedAt,
                    // UnsignedInt64 is serialised as a JSON string.
                    "numberOfOrders" => CustomerStats(customer).Count.ToString(CultureInfo.InvariantCulture),
                    _ => null,
                };
            case "Product":
                var product = (FakeProduct)source;
                return name switch
                {
                    "id" => Gid("Product", product.Id),
                    "legacyResourceId" => product.Id.ToString(CultureInfo.InvariantCulture),
                    "title" => product.Title,
                    "productType" => product.ProductType,
                    "vendor" => product.Vendor,
                    "updatedAt" => product.UpdatedAt,
                    _ => null,
                };
            case "BulkOperation":
                var operation = (FakeBulkOperation)source;
                return name switch
                {
                    "id" => operation.Id,
                    "status" => operation.Status,
                    "errorCode" => operation.ErrorCode,
                    "createdAt" => operation.CreatedAt,
                    "completedAt" => operation.CompletedAt,
                    // UnsignedInt64 again: strings.
                    "objectCount" => operation.ObjectCount.ToString(CultureInfo.InvariantCulture),
                    "rootObjectCount" => operation.RootObjectCount.ToString(CultureInfo.InvariantCulture),
                    "fileSize" => operation.Status == "COMPLETED" && operation.RootObjectCount > 0 ? operation.FileSize.ToString(CultureInfo.InvariantCulture) : null,
                    "url" => operation.Status == "COMPLETED" && operation.RootObjectCount > 0 ? operation.Url : null,
                    "partialDataUrl" => null,
                    "type" => "QUERY",
                    "query" => operation.Query,
                    _ => null,
                };
            case "UserError":
                var error = (FakeUserError)source;
                return name switch { "field" => error.Field, "message" => error.Message, _ => error.Code };
            default:
                return null;
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string text: writer.WriteStringValue(text); break;
            case bool flag: writer.WriteBooleanValue(flag); break;
            case long number: writer.WriteNumberValue(number); break;
            case DateTimeOffset at: writer.WriteStringValue(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)); break;
            case string[] list:
                writer.WriteStartArray();
                foreach (var item in list)
                {
                    writer.WriteStringValue(item);
                }
                writer.WriteEndArray();
                break;
            default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
        }
    }

    private static string? Gid(string type, object source) => source switch
    {
        FakeOrder o => Gid("Order", o.Id),
        FakeLineItem l => Gid("LineItem", l.Id),
        FakeRefund r => Gid("Refund", r.Id),
        FakeRefundLine rl => Gid("RefundLineItem", rl.Id),
        FakeCustomer c => Gid("Customer", c.Id),
        FakeProduct p => Gid("Product", p.Id),
        FakeVariant v when type == "ProductVariant" => Gid("ProductVariant", v.Id),
        _ => null,
    };

    public static string Gid(string type, long id) => "gid://shopify/" + type + "/" + id.ToString(CultureInfo.InvariantCulture);

    public static bool TryNumber(string gid, string type, out long number)
    {
        number = 0;
        var prefix = "gid://shopify/" + type + "/";
        return gid.StartsWith(prefix, StringComparison.Ordinal)
            && long.TryParse(gid.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }
}
