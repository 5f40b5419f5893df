using System.Globalization;

namespace AdIntel.Fakes.Shopify;

/// <summary>
/// One fake shop's Admin API data: products with variants and unit costs, customers, orders with line items and
/// refunds. Built deterministically from a seed and a size (<see cref="Generate"/>), and changeable the way a live shop
/// changes (<see cref="TouchOrder"/>, <see cref="AddRefund"/>, <see cref="AddOrder"/>, <see cref="SetUnitCost"/>) so
/// incremental sync can be tested. Every read and change happens under the catalog's lock.
/// </summary>
public sealed class FakeShopifyCatalog
{
    private long _nextId;

    public string Currency { get; init; } = "USD";
    public string TimeZone { get; init; } = "America/New_York";
    public List<FakeProduct> Products { get; } = [];
    public Dictionary<long, FakeVariant> Variants { get; } = [];
    public List<FakeCustomer> Customers { get; } = [];
    public List<FakeOrder> Orders { get; } = [];
    public Dictionary<long, FakeOrder> OrdersById { get; } = [];

    /// <summary>Everything is as of this instant; changes move it forward so updatedAt keeps increasing.</summary>
    public DateTimeOffset Clock { get; private set; }

    public long NextId() => Interlocked.Increment(ref _nextId);

    /// <summary>
    /// A shop with <paramref name="orders"/> orders over the ~400 days before <paramref name="until"/>: 40 products of 1–3
    /// variants (about one in ten without a unit cost), one customer per ~3 orders (some guests), 1–4 lines per order,
    /// discounts on a quarter, refunds on ~8 % (some partial, some with shipping), ~1 % test and ~2 % cancelled orders.
    /// </summary>
    public static FakeShopifyCatalog Generate(int seed, int orders, DateTimeOffset until)
    {
        var random = new Random(seed);
        var catalog = new FakeShopifyCatalog { Clock = until };
        catalog._nextId = 1_000_000L + seed * 10_000_000L % 1_000_000_000L;
        string[] kinds = ["Tee", "Hoodie", "Cap", "Mug", "Poster", "Socks", "Tote", "Sticker"];
        string[] sizes = ["S", "M", "L"];
        for (var p = 0; p < 40; p++)
        {
            var kind = kinds[p % kinds.Length];
            var product = new FakeProduct { Id = catalog.NextId(), Title = $"{kind} {p + 1}", ProductType = kind, Vendor = "Fake Goods", UpdatedAt = until.AddDays(-500) };
            var variantCount = 1 + random.Next(3);
            for (var v = 0; v < variantCount; v++)
            {
                var price = Math.Round(8m + (decimal)random.Next(0, 9200) / 100m, 2);
                var variant = new FakeVariant
                {
                    Id = catalog.NextId(),
                    InventoryItemId = catalog.NextId(),
                    Product = product,
                    Title = variantCount == 1 ? "Default Title" : sizes[v],
                    Sku = $"FK-{p + 1:000}-{v}",
                    Price = price,
                    UnitCost = random.Next(10) == 0 ? null : Math.Round(price * (0.25m + (decimal)random.Next(0, 30) / 100m), 2),
                };
                product.Variants.Add(variant);
                catalog.Variants[variant.Id] = variant;
            }
            catalog.Products.Add(product);
        }

        var start = until.AddDays(-400);
        var span = (until - start).TotalSeconds;
        var customerCount = Math.Max(1, orders / 3);
        for (var c = 0; c < customerCount; c++)
        {
            catalog.Customers.Add(new FakeCustomer
            {
                Id = catalog.NextId(),
                Email = $"customer{c + 1}.{seed}@example.com",
                FirstName = "Customer",
                LastName = (c + 1).ToString(CultureInfo.InvariantCulture),
                CreatedAt = start.AddSeconds(random.NextDouble() * span * 0.5),
            });
        }

        // Creation times in increasing order, like a real shop's order numbers.
        var times = Enumerable.Range(0, orders).Select(_ => start.AddSeconds(Math.Floor(random.NextDouble() * span))).Order().ToList();
        for (var i = 0; i < orders; i++)
        {
            var customer = random.Next(20) == 0 ? null : catalog.Customers[random.Next(customerCount)];
            catalog.AddGenerated(random, times[i], customer, 1001 + i);
        }
        catalog.Orders.Sort((a, b) => a.Id.CompareTo(b.Id));
        return catalog;
    }

    private void AddGenerated(Random random, DateTimeOffset createdAt, FakeCustomer? customer, int number)
    {
        var order = new FakeOrder
        {
            Id = NextId(),
            Name = "#" + number.ToString(CultureInfo.InvariantCulture),
            Email = customer?.Email,
            Customer = customer,
            CreatedAt = createdAt,
            UpdatedAt = Min(createdAt.AddMinutes(random.Next(1, 120)), Clock),
            Test = random.Next(100) == 0,
            CancelledAt = random.Next(50) == 0 ? createdAt.AddHours(5) : null,
            SourceName = random.Next(4) == 0 ? "pos" : "web",
            Currency = Currency,
        };
        var lineCount = 1 + random.Next(4);
        for (var l = 0; l < lineCount; l++)
        {
            var product = Products[random.Next(Products.Count)];
            var variant = product.Variants[random.Next(product.Variants.Count)];
            order.Lines.Add(new FakeLineItem
            {
                Id = NextId(),
                Variant = variant,
                Sku = variant.Sku,
                Name = variant.Title == "Default Title" ? product.Title : $"{product.Title} - {variant.Title}",
                Quantity = 1 + (random.Next(5) == 0 ? random.Next(1, 4) : 0),
                Price = variant.Price,
            });
        }
        var gross = order.Lines.Sum(l => l.Price * l.Quantity);
        if (random.Next(4) == 0)
        {
            order.DiscountCode = "SAVE10";
            order.Discounts = Math.Round(gross * 0.10m, 2);
            // Allocated to the first line, as a line-level discount.
            order.Lines[0].Discount = order.Discounts;
        }
        order.Shipping = gross - order.Discounts >= 75m ? 0m : 6.95m;
        order.Tax = Math.Round((gross - order.Discounts) * 0.08m, 2);
        order.FinancialStatus = order.CancelledAt is null ? "PAID" : "REFUNDED";
        if (order.CancelledAt is null && random.Next(12) == 0)
        {
            var line = order.Lines[random.Next(order.Lines.Count)];
            var quantity = 1 + random.Next(line.Quantity);
            AddRefundTo(order, Min(createdAt.AddDays(1 + random.Next(20)), Clock), line, quantity, refundShipping: random.Next(3) == 0);
        }
        Orders.Add(order);
        OrdersById[order.Id] = order;
    }

    private FakeRefund AddRefundTo(FakeOrder order, DateTimeOffset at, FakeLineItem line, int quantity, bool refundShipping)
    {
        var share = line.Quantity == 0 ? 0m : (decimal)quantity / line.Quantity;
        var subtotal = Math.Round((line.Price * line.Quantity - line.Discount) * share, 2);
        var tax = Math.Round(subtotal * 0.08m, 2);
        var refund = new FakeRefund { Id = NextId(), CreatedAt = at };
        refund.Lines.Add(new FakeRefundLine { Id = NextId(), LineItem = line, Quantity = quantity, Subtotal = subtotal, Tax = tax });
        line.RefundedQuantity += quantity;
        if (refundShipping && order.Shipping > 0 && order.Refunds.All(r => r.Shipping == 0))
        {
            refund.Shipping = order.Shipping;
            refund.ShippingTax = 0m;
        }
        order.Refunds.Add(refund);
        order.FinancialStatus = order.Refunds.Sum(r => r.Total) >= order.TotalPrice ? "REFUNDED" : "PARTIALLY_REFUNDED";
        if (at > order.UpdatedAt)
        {
            order.UpdatedAt = at;
        }
        return refund;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private DateTimeOffset Tick(DateTimeOffset now)
    {
        Clock = now > Clock ? now : Clock.AddSeconds(1);
        return Clock;
    }

    /// <summary>Changes an order as an edit in the admin would (a note, a tag): only its updatedAt moves.</summary>
    public void TouchOrder(long orderId, DateTimeOffset now)
    {
        lock (this)
        {
            OrdersById[orderId].UpdatedAt = Tick(now);
        }
    }

    /// <summary>Refunds <paramref name="quantity"/> of an order's first line now; the order's updatedAt moves.</summary>
    public FakeRefund AddRefund(long orderId, int quantity, DateTimeOffset now, bool refundShipping = false)
    {
        lock (this)
        {
            var order = OrdersById[orderId];
            var at = Tick(now);
            var refund = AddRefundTo(order, at, order.Lines[0], Math.Min(quantity, order.Lines[0].Quantity), refundShipping);
            order.UpdatedAt = at;
            return refund;
        }
    }

    /// <summary>A new order of one line of <paramref name="variantId"/>, created now.</summary>
    public FakeOrder AddOrder(long variantId, int quantity, DateTimeOffset now, FakeCustomer? customer = null)
    {
        lock (this)
        {
            var at = Tick(now);
            var variant = Variants[variantId];
            var order = new FakeOrder
            {
                Id = NextId(), Name = "#" + (1001 + Orders.Count).ToString(CultureInfo.InvariantCulture), Email = customer?.Email, Customer = customer,
                CreatedAt = at, UpdatedAt = at, SourceName = "web", Currency = Currency, FinancialStatus = "PAID",
            };
            order.Lines.Add(new FakeLineItem { Id = NextId(), Variant = variant, Sku = variant.Sku, Name = variant.Product.Title, Quantity = quantity, Price = variant.Price });
            order.Tax = Math.Round(order.Lines[0].Price * quantity * 0.08m, 2);
            Orders.Add(order);
            OrdersById[order.Id] = order;
            return order;
        }
    }

    /// <summary>The merchant enters or changes a variant's cost (inventoryItem.unitCost); the product's updatedAt moves.</summary>
    public void SetUnitCost(long variantId, decimal? unitCost, DateTimeOffset now)
    {
        lock (this)
        {
            var variant = Variants[variantId];
            variant.UnitCost = unitCost;
            variant.Product.UpdatedAt = Tick(now);
        }
    }

    /// <summary>What a correct sync must end up with, computed straight from the data.</summary>
    public FakeShopifyTotals Totals()
    {
        lock (this)
        {
            return new FakeShopifyTotals(
                Orders.Count,
                Orders.Sum(o => o.TotalPrice),
                Orders.Sum(o => o.Lines.Sum(l => l.Price * l.Quantity)),
                Orders.SelectMany(o => o.Refunds).Count(),
                Orders.SelectMany(o => o.Refunds).Sum(r => r.Total),
                Orders.SelectMany(o => o.Refunds).Sum(r => r.Lines.Sum(l => l.Subtotal)),
                Orders.SelectMany(o => o.Lines).Sum(l => l.Variant?.UnitCost is { } cost ? cost * l.Quantity : 0m),
                Orders.SelectMany(o => o.Lines).Count(),
                Orders.Where(o => o.Customer is not null).Select(o => o.Customer!.Id).Distinct().Count(),
                Variants.Count,
                Variants.Values.Sum(v => v.UnitCost ?? 0m));
        }
    }
}

/// <summary>
/// Sums a sync must reproduce exactly: orders and their totals (what customers paid), gross sales, refunds (count,
/// total, merchandise part), Σ quantity × the variant's current unit cost, lines, customers with orders, variants and
/// Σ variant unit costs.
/// </summary>
public sealed record FakeShopifyTotals(int Orders, decimal TotalPrice, decimal GrossSales, int Refunds, decimal RefundedTotal, decimal RefundedMerchandise,
    decimal LineCost, int Lines, int CustomersWithOrders, int Variants, decimal VariantUnitCosts);

public sealed class FakeProduct
{
    public required long Id { get; init; }
    public required string Title { get; set; }
    public string? ProductType { get; set; }
    public string? Vendor { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<FakeVariant> Variants { get; } = [];
}

public sealed class FakeVariant
{
    public required long Id { get; init; }
    public required long InventoryItemId { get; init; }
    public required FakeProduct Product { get; init; }
    public required string Title { get; set; }
    public string? Sku { get; set; }
    public decimal Price { get; set; }
    public decimal? UnitCost { get; set; }
}

public sealed class FakeCustomer
{
    public required long Id { get; init; }
    public string? Email { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed class FakeOrder
{
    public required long Id { get; init; }
    public required string Name { get; init; }
    public string? Email { get; set; }
    public FakeCustomer? Customer { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    public bool Test { get; set; }
    public string? SourceName { get; set; }
    public required string Currency { get; init; }
    public string FinancialStatus { get; set; } = "PAID";
    public string? DiscountCode { get; set; }
    public decimal Discounts { get; set; }
    public decimal Shipping { get; set; }
    public decimal Tax { get; set; }
    public List<FakeLineItem> Lines { get; } = [];
    public List<FakeRefund> Refunds { get; } = [];

    public decimal Subtotal => Lines.Sum(l => l.Price * l.Quantity) - Discounts;
    public decimal TotalPrice => Subtotal + Shipping + Tax;
    public decimal TotalRefunded => Refunds.Sum(r => r.Total);
}

public sealed class FakeLineItem
{
    public required long Id { get; init; }
    public FakeVariant? Variant { get; set; }
    public string? Sku { get; init; }
    public required string Name { get; init; }
    public int Quantity { get; init; }
    public decimal Price { get; init; }
    /// <summary>Discount allocated to the whole line.</summary>
    public decimal Discount { get; set; }
    public int RefundedQuantity { get; set; }
}

public sealed class FakeRefund
{
    public required long Id { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public List<FakeRefundLine> Lines { get; } = [];
    public decimal Shipping { get; set; }
    public decimal ShippingTax { get; set; }
    public decimal Total => Lines.Sum(l => l.Subtotal + l.Tax) + Shipping + ShippingTax;
}

public sealed class FakeRefundLine
{
    public required long Id { get; init; }
    public required FakeLineItem LineItem { get; init; }
    public int Quantity { get; init; }
    public decimal Subtotal { get; init; }
    public decimal Tax { get; init; }
}
