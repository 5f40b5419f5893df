using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace AdIntel.Web.Integrations.Shopify.Sync;

/// <summary>The object kinds of the orders query, from the type in a GID (<c>gid://shopify/LineItem/1</c>).</summary>
internal enum ShopifyGidKind
{
    Other,
    Order,
    LineItem,
    Refund,
    RefundLineItem,
    RefundShippingLine,
}

/// <summary>
/// One object of the orders query (an order, a line, a refund, a refund's line or shipping line, a customer) read in a
/// single pass over its UTF-8 JSON, without a document or a string per field (a line's variant is two of its fields): a
/// bulk result has a row per object and 100,000 orders make 360,000 rows. Every kind's fields land here; its id's GID type says which it is. Text
/// is read as by <see cref="ShopifyGraphQlReader.Text"/>: a value of another JSON type counts as absent. Its methods are
/// compiled optimised at once: a backfill is over before tiered compilation would promote them, and unoptimised code over
/// <see cref="Utf8JsonReader"/> was most of a backfill's parsing time.
/// </summary>
internal sealed class ShopifyOrderNode
{
    public ShopifyGidKind Kind { get; private set; }
    private long? _id;
    private string? _badId;
    public ShopifyGidKind ParentKind { get; private set; }
    public long? ParentId { get; private set; }
    /// <summary>Whether the row names a parent (<c>__parentId</c>): a bulk result's child row.</summary>
    public bool HasParent { get; private set; }

    private string? _name, _title, _email, _sku, _sourceName, _currency, _financialStatus, _discountCode, _firstName, _lastName;
    private DateTimeOffset? _createdAt, _updatedAt, _cancelledAt;
    private bool _test;
    private int _quantity;
    private decimal _totalPrice, _totalDiscounts, _totalTax, _totalShipping, _totalRefunded, _unitPrice, _discount, _subtotalAmount, _taxAmount;
    private decimal? _variantUnitCost;
    private long? _variantId;
    private ShopifyOrderNode? _customer;
    /// <summary>The node a reused row node reads its customer into, row after row.</summary>
    private ShopifyOrderNode? _spareCustomer;
    /// <summary>Set on a reused node (and its customer): the texts that repeat from row to row, one string each.</summary>
    private RepeatedTexts? _repeated;
    private List<ShopifyOrderNode>? _lines, _refunds, _refundLines, _refundShippingLines;

    /// <summary>The number in the object's GID.</summary>
    public long Id => _id ?? throw new FormatException(_badId is null ? "A Shopify object without an id." : $"“{_badId}” is not a Shopify GID.");

    /// <summary>Reads the object the reader is on (its <see cref="JsonTokenType.StartObject"/>), up to its end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ShopifyOrderNode Read(ref Utf8JsonReader reader)
    {
        var node = new ShopifyOrderNode();
        node.ReadFields(ref reader);
        return node;
    }

    /// <summary>
    /// Reads the object the reader is on into this node, forgetting what it held: a bulk read reuses one node for every
    /// row (what a row says is copied out before the next is read), where a node each would be most of what it allocates.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void ReadAgain(ref Utf8JsonReader reader)
    {
        _repeated ??= new RepeatedTexts();
        Kind = ParentKind = ShopifyGidKind.Other;
        _id = ParentId = _variantId = null;
        _badId = _name = _title = _email = _sku = _sourceName = _currency = _financialStatus = _discountCode = _firstName = _lastName = null;
        HasParent = _test = false;
        _createdAt = _updatedAt = _cancelledAt = null;
        _quantity = 0;
        _totalPrice = _totalDiscounts = _totalTax = _totalShipping = _totalRefunded = _unitPrice = _discount = _subtotalAmount = _taxAmount = 0m;
        _variantUnitCost = null;
        _customer = null;
        _lines = _refunds = _refundLines = _refundShippingLines = null;
        ReadFields(ref reader);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadFields(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueIsEscaped ? System.Text.Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;
            reader.Read();
            ReadField(name, ref reader);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ReadField(ReadOnlySpan<byte> name, ref Utf8JsonReader reader)
    {
        switch (name.Length)
        {
            case 2 when name.SequenceEqual("id"u8):
                (Kind, _id, _badId) = Gid(ref reader);
                return;
            case 3 when name.SequenceEqual("sku"u8):
                _sku = RepeatedText(ref reader);
                return;
            case 4 when name.SequenceEqual("name"u8):
                // A line's name is its product's title, repeated on every order of it; an order's ("#1001") is its own.
                _name = Kind == ShopifyGidKind.LineItem ? RepeatedText(ref reader) : Text(ref reader);
                return;
            case 4 when name.SequenceEqual("test"u8):
                _test = reader.TokenType == JsonTokenType.True;
                reader.Skip();
                return;
            case 5 when name.SequenceEqual("email"u8):
                _email = Text(ref reader);
                return;
            case 5 when name.SequenceEqual("title"u8):
                _title = RepeatedText(ref reader);
                return;
            case 7 when name.SequenceEqual("variant"u8):
                (_variantId, _variantUnitCost) = Variant(ref reader);
                return;
            case 7 when name.SequenceEqual("refunds"u8):
                _refunds = Children(ref reader);
                return;
            case 8 when name.SequenceEqual("customer"u8):
                _customer = _repeated is null ? Child(ref reader) : SpareChild(ref reader);
                return;
            case 8 when name.SequenceEqual("quantity"u8):
                _quantity = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var quantity) ? quantity : 0;
                reader.Skip();
                return;
            case 8 when name.SequenceEqual("lastName"u8):
                _lastName = Text(ref reader);
                return;
            case 9 when name.SequenceEqual("createdAt"u8):
                _createdAt = Instant(ref reader);
                return;
            case 9 when name.SequenceEqual("updatedAt"u8):
                _updatedAt = Instant(ref reader);
                return;
            case 9 when name.SequenceEqual("lineItems"u8):
                _lines = Connection(ref reader);
                return;
            case 9 when name.SequenceEqual("firstName"u8):
                _firstName = Text(ref reader);
                return;
            case 10 when name.SequenceEqual("sourceName"u8):
                _sourceName = RepeatedText(ref reader);
                return;
            case 10 when name.SequenceEqual("__parentId"u8):
                HasParent = reader.TokenType == JsonTokenType.String;
                (ParentKind, ParentId, _) = Gid(ref reader);
                return;
            case 11 when name.SequenceEqual("cancelledAt"u8):
                _cancelledAt = Instant(ref reader);
                return;
            case 11 when name.SequenceEqual("totalTaxSet"u8):
                _totalTax = ShopMoney(ref reader);
                return;
            case 12 when name.SequenceEqual("currencyCode"u8):
                _currency = RepeatedText(ref reader);
                return;
            case 12 when name.SequenceEqual("discountCode"u8):
                _discountCode = Text(ref reader);
                return;
            case 12 when name.SequenceEqual("taxAmountSet"u8):
                _taxAmount = ShopMoney(ref reader);
                return;
            case 13 when name.SequenceEqual("totalPriceSet"u8):
                _totalPrice = ShopMoney(ref reader);
                return;
            case 15 when name.SequenceEqual("refundLineItems"u8):
                _refundLines = Connection(ref reader);
                return;
            case 16 when name.SequenceEqual("totalDiscountSet"u8):
                _discount = ShopMoney(ref reader);
                return;
            case 16 when name.SequenceEqual("totalRefundedSet"u8):
                _totalRefunded = ShopMoney(ref reader);
                return;
            case 17 when name.SequenceEqual("totalDiscountsSet"u8):
                _totalDiscounts = ShopMoney(ref reader);
                return;
            case 17 when name.SequenceEqual("subtotalAmountSet"u8):
                _subtotalAmount = ShopMoney(ref reader);
                return;
            case 19 when name.SequenceEqual("refundShippingLines"u8):
                _refundShippingLines = Connection(ref reader);
                return;
            case 20 when name.SequenceEqual("originalUnitPriceSet"u8):
                _unitPrice = ShopMoney(ref reader);
                return;
            case 21 when name.SequenceEqual("totalShippingPriceSet"u8):
                _totalShipping = ShopMoney(ref reader);
                return;
            case 22 when name.SequenceEqual("displayFinancialStatus"u8):
                _financialStatus = RepeatedText(ref reader);
                return;
            default:
                reader.Skip();
                return;
        }
    }

    /// <summary>An order's own fields, customer and (when the node has them inline) lines and refunds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ShopifyGraphQlReader.OrderBuilder ToOrder()
    {
        var createdAt = _createdAt ?? throw new JsonException("An order without createdAt.");
        var builder = new ShopifyGraphQlReader.OrderBuilder
        {
            Order = new ShopifyOrderRecord
            {
                Id = Id,
                Name = _name ?? "",
                Email = _email,
                CreatedAt = createdAt,
                UpdatedAt = _updatedAt ?? createdAt,
                CancelledAt = _cancelledAt,
                Test = _test,
                SourceName = _sourceName,
                Currency = _currency ?? "USD",
                FinancialStatus = _financialStatus,
                DiscountCode = _discountCode,
                TotalPrice = _totalPrice,
                TotalDiscounts = _totalDiscounts,
                TotalTax = _totalTax,
                TotalShipping = _totalShipping,
                Customer = _customer?.ToCustomer(),
            },
        };
        if (_lines is not null)
        {
            foreach (var line in _lines)
            {
                builder.Order.Lines.Add(line.ToLine());
            }
        }
        if (_refunds is not null)
        {
            foreach (var refundNode in _refunds)
            {
                var refund = refundNode.ToRefund();
                builder.Refunds[refund.Id] = refund;
                foreach (var refundLine in refundNode._refundLines ?? [])
                {
                    refundLine.AddRefundLineTo(refund);
                }
                foreach (var shippingLine in refundNode._refundShippingLines ?? [])
                {
                    shippingLine.AddRefundShippingTo(refund);
                }
            }
        }
        return builder;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ShopifyLineRecord ToLine() => new()
    {
        Id = Id,
        Title = _name ?? _title ?? "",
        Sku = _sku,
        Quantity = _quantity,
        UnitPrice = _unitPrice,
        Discount = _discount,
        VariantId = _variantId,
        UnitCost = _variantUnitCost,
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public ShopifyCustomerRecord ToCustomer() => new()
    {
        Id = Id, Email = _email, FirstName = _firstName, LastName = _lastName, CreatedAt = _createdAt,
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ShopifyGraphQlReader.RefundBuilder ToRefund() =>
        new(Id, _createdAt ?? throw new JsonException("A refund without createdAt."), _totalRefunded);

    /// <summary>A refund line adds its taxes to the refund's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddRefundLineTo(ShopifyGraphQlReader.RefundBuilder refund) => refund.Tax += _totalTax;

    /// <summary>A refund's shipping line adds its subtotal to the refund's shipping and its tax to the refund's taxes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddRefundShippingTo(ShopifyGraphQlReader.RefundBuilder refund)
    {
        refund.Shipping += _subtotalAmount;
        refund.Tax += _taxAmount;
    }

    /// <summary>A reused node's customer, read into the node kept for it (copied out by <see cref="ToOrder"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private ShopifyOrderNode? SpareChild(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        _spareCustomer ??= new ShopifyOrderNode { _repeated = _repeated };
        _spareCustomer.ReadAgain(ref reader);
        return _spareCustomer;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ShopifyOrderNode? Child(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        return Read(ref reader);
    }

    /// <summary>A line's <c>variant { id inventoryItem { unitCost { amount } } }</c>, read in place (a line has one, or null).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (long? Id, decimal? UnitCost) Variant(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return (null, null);
        }
        (long? Id, decimal? UnitCost) variant = (null, null);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("id"u8);
            var isItem = !isId && reader.ValueTextEquals("inventoryItem"u8);
            reader.Read();
            if (isId)
            {
                var (_, number, bad) = Gid(ref reader);
                variant.Id = number ?? (bad is null ? null : throw new FormatException($"“{bad}” is not a Shopify GID."));
            }
            else if (isItem)
            {
                variant.UnitCost = UnitCost(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
        return variant;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<ShopifyOrderNode>? Children(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }
        var nodes = new List<ShopifyOrderNode>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (Child(ref reader) is { } node)
            {
                nodes.Add(node);
            }
        }
        return nodes;
    }

    /// <summary>A connection's nodes, whether asked as <c>nodes</c> or <c>edges { node }</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<ShopifyOrderNode>? Connection(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        List<ShopifyOrderNode>? nodes = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("nodes"u8))
            {
                reader.Read();
                nodes = Children(ref reader);
            }
            else if (reader.ValueTextEquals("edges"u8))
            {
                reader.Read();
                nodes = Edges(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return nodes;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<ShopifyOrderNode>? Edges(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }
        var nodes = new List<ShopifyOrderNode>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isNode = reader.ValueTextEquals("node"u8);
                reader.Read();
                if (isNode && Child(ref reader) is { } node)
                {
                    nodes.Add(node);
                }
                else if (!isNode)
                {
                    reader.Skip();
                }
            }
        }
        return nodes;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? Text(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.String ? reader.GetString() : SkipToNull(ref reader);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private string? RepeatedText(ref Utf8JsonReader reader) => _repeated is { } repeated ? repeated.Read(ref reader) : Text(ref reader);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? SkipToNull(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return null;
    }

    /// <summary>A GID's type and number, read in place; the number is null (and the text kept for the error) when it is not one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (ShopifyGidKind Kind, long? Number, string? Bad) Gid(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return (ShopifyGidKind.Other, null, null);
        }
        if (reader.ValueIsEscaped)
        {
            var text = reader.GetString()!;
            return Gid(System.Text.Encoding.UTF8.GetBytes(text), text);
        }
        return Gid(reader.ValueSpan, null);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (ShopifyGidKind Kind, long? Number, string? Bad) Gid(ReadOnlySpan<byte> gid, string? text)
    {
        var kind = ShopifyGidKind.Other;
        var prefix = "gid://shopify/"u8;
        if (gid.StartsWith(prefix))
        {
            var rest = gid[prefix.Length..];
            var slash = rest.IndexOf((byte)'/');
            kind = slash < 0 ? ShopifyGidKind.Other : KindOf(rest[..slash]);
        }
        // As ShopifyGid.Number: the digits after the last slash, before any query string.
        var tail = gid[(gid.LastIndexOf((byte)'/') + 1)..];
        var query = tail.IndexOf((byte)'?');
        if (query >= 0)
        {
            tail = tail[..query];
        }
        return tail.Length > 0 && tail[0] is >= (byte)'0' and <= (byte)'9' && Utf8Parser.TryParse(tail, out long number, out var consumed) && consumed == tail.Length
            ? (kind, number, null)
            : (kind, null, text ?? System.Text.Encoding.UTF8.GetString(gid));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ShopifyGidKind KindOf(ReadOnlySpan<byte> type) => type switch
    {
        _ when type.SequenceEqual("Order"u8) => ShopifyGidKind.Order,
        _ when type.SequenceEqual("LineItem"u8) => ShopifyGidKind.LineItem,
        _ when type.SequenceEqual("Refund"u8) => ShopifyGidKind.Refund,
        _ when type.SequenceEqual("RefundLineItem"u8) => ShopifyGidKind.RefundLineItem,
        _ when type.SequenceEqual("RefundShippingLine"u8) => ShopifyGidKind.RefundShippingLine,
        _ => ShopifyGidKind.Other,
    };

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static DateTimeOffset? Instant(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }
        // Shopify writes UTC ("…Z"): read in place, without a string. Anything else goes through the lenient parser.
        var raw = reader.ValueSpan;
        return !reader.ValueIsEscaped && raw.Length > 1 && raw[^1] == (byte)'Z' && reader.TryGetDateTimeOffset(out var instant)
            ? instant
            : DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
    }

    /// <summary>
    /// Shopify's Decimal is a JSON string; a number is accepted too. Then past the rest of the <paramref name="leave"/>
    /// objects that hold it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static decimal? Decimal(ref Utf8JsonReader reader, int leave)
    {
        decimal? value = reader.TokenType switch
        {
            JsonTokenType.String when !reader.ValueIsEscaped && Utf8Parser.TryParse(reader.ValueSpan, out decimal amount, out var consumed)
                && consumed == reader.ValueSpan.Length => amount,
            JsonTokenType.String => decimal.Parse(reader.GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture),
            JsonTokenType.Number => reader.GetDecimal(),
            _ => null,
        };
        for (var i = 0; i < leave; i++)
        {
            Leave(ref reader);
        }
        return value;
    }

    /// <summary><c>{ shopMoney { amount } }</c>: the amount in the shop's currency; absent money counts 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static decimal ShopMoney(ref Utf8JsonReader reader) => Nested(ref reader, "shopMoney"u8, "amount"u8) ? Decimal(ref reader, leave: 2) ?? 0m : 0m;

    /// <summary><c>inventoryItem { unitCost { amount } }</c>: null when the merchant entered no cost.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static decimal? UnitCost(ref Utf8JsonReader reader) => Nested(ref reader, "unitCost"u8, "amount"u8) ? Decimal(ref reader, leave: 2) : null;

    /// <summary>
    /// Moves into the object the reader is on, to <paramref name="outer"/>'s value and in it to <paramref name="inner"/>'s
    /// value. False when either is missing or not an object (the reader is then past the whole value).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Nested(ref Utf8JsonReader reader, ReadOnlySpan<byte> outer, ReadOnlySpan<byte> inner)
    {
        if (!Enter(ref reader, outer))
        {
            return false;
        }
        if (!Enter(ref reader, inner))
        {
            Leave(ref reader);
            return false;
        }
        return true;
    }

    /// <summary>Moves from an object's start to the value of <paramref name="property"/>; false (past the object) without it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Enter(ref Utf8JsonReader reader, ReadOnlySpan<byte> property)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return false;
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var wanted = reader.ValueTextEquals(property);
            reader.Read();
            if (wanted)
            {
                return true;
            }
            reader.Skip();
        }
        return false;
    }

    /// <summary>From a property's value, past the rest of the object that holds it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Leave(ref Utf8JsonReader reader)
    {
        reader.Skip();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            reader.Read();
            reader.Skip();
        }
    }

    /// <summary>
    /// Texts that repeat from row to row of a bulk read (a currency, a status, a source, a product's title and SKU): one
    /// string each, found by the characters without making a string. A backfill's rows would otherwise make 100,000
    /// copies of "USD". At most <see cref="Capacity"/> texts are kept; others are read as they come.
    /// </summary>
    private sealed class RepeatedTexts
    {
        private const int Capacity = 4096;
        private const int LongestKept = 128;
        private readonly HashSet<string> _texts = new(StringComparer.Ordinal);
        private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

        public RepeatedTexts() => _lookup = _texts.GetAlternateLookup<ReadOnlySpan<char>>();

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public string? Read(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                reader.Skip();
                return null;
            }
            // UTF-8 never takes fewer bytes than UTF-16 chars, and unescaping only shortens.
            if ((reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length) > LongestKept)
            {
                return reader.GetString();
            }
            Span<char> buffer = stackalloc char[LongestKept];
            var chars = buffer[..reader.CopyString(buffer)];
            if (_lookup.TryGetValue(chars, out var known))
            {
                return known;
            }
            var text = new string(chars);
            if (_texts.Count < Capacity)
            {
                _texts.Add(text);
            }
            return text;
        }
    }
}
