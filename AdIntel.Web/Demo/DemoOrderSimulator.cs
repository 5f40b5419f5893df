using System.Globalization;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Demo;

/// <summary>
/// Simulates the store's customers and orders day by day. Each day draws its order count from the calendar's demand;
/// returning customers' purchases were scheduled when they last bought (gaps drawn so cohorts decay like a real
/// apparel brand's: most never return, a heavy tail buys up to ten times), the rest are new customers and a few guests.
/// </summary>
internal sealed class DemoOrderSimulator
{
    public const decimal FreeShippingThreshold = 75m;
    public const decimal StandardShipping = 6.95m;
    public const decimal ExpeditedShipping = 14.95m;

    private const double GuestShare = 0.035;
    private const double PointOfSaleShare = 0.02;
    private const double DraftOrderShare = 0.01;
    private const double CancelRate = 0.007;
    private const double RefundRate = 0.052;
    private const double ReturningProbability = 0.36;
    private const double FurtherRepeatProbability = 0.47;
    private const int MaxOrdersPerCustomer = 10;
    private const int TestOrderCount = 8;

    // Local hour-of-day shape of online orders: lunch-break and evening peaks, quiet nights.
    private static readonly double[] HourCumulative = DemoRandom.Cumulative(
    [
        1.2, 0.7, 0.4, 0.3, 0.3, 0.5, 1.0, 1.8, 2.6, 3.2, 3.6, 3.9, 4.3, 4.2, 3.9, 3.8, 3.8, 4.0, 4.4, 5.0, 5.4, 5.2, 3.9, 2.3,
    ]);

    private static readonly double[] LineCountCumulative = DemoRandom.Cumulative([0.55, 0.27, 0.12, 0.06]);

    private readonly Random _random;
    private readonly DemoCalendar _calendar;
    private readonly DemoClock _clock;
    private readonly IReadOnlyList<CatalogVariant> _catalog;
    private readonly double[][] _variantCumulativeByMonth;
    private readonly DateTime _endOfHistoryUtc;

    private readonly List<Customer> _customers = [];
    private readonly List<DemoCustomerProfile> _profiles = [];
    private readonly List<int> _remainingRepeats = [];
    private readonly List<Order> _orders = [];
    private readonly List<OrderLine> _lines = [];
    private readonly List<Refund> _refunds = [];
    private readonly HashSet<string> _emails = new(StringComparer.Ordinal);
    private long _customerExternalId;
    private long _orderExternalId;
    private long _refundExternalId;

    public DemoOrderSimulator(Random random, DemoCalendar calendar, TimeZoneInfo timeZone, IReadOnlyList<CatalogVariant> catalog)
    {
        _random = random;
        _calendar = calendar;
        _clock = new DemoClock(timeZone);
        _catalog = catalog;
        _variantCumulativeByMonth = Enumerable.Range(1, 12)
            .Select(month => DemoRandom.Cumulative(catalog.Select(v => v.Popularity * DemoCatalog.SeasonLevel(v.Season, month))))
            .ToArray();
        _endOfHistoryUtc = LocalToUtc(calendar.LastDay, new TimeSpan(23, 59, 59));
        _customerExternalId = 6_870_000_000_000 + random.Next(1_000_000, 9_000_000);
        _orderExternalId = 5_000_000_000_000 + random.Next(1_000_000, 9_000_000);
        _refundExternalId = 903_000_000_000 + random.Next(1_000_000, 9_000_000);
    }

    public sealed record Result(
        IReadOnlyList<Customer> Customers,
        IReadOnlyList<DemoCustomerProfile> Profiles,
        IReadOnlyList<Order> Orders,
        IReadOnlyList<OrderLine> Lines,
        IReadOnlyList<Refund> Refunds,
        double[] ExpectedOrdersPerDay);

    private enum Buyer
    {
        New,
        Returning,
        Guest,
        Test,
    }

    private readonly record struct PendingOrder(DateTime CreatedUtc, Buyer Buyer, int CustomerIndex, string Source);

    public Result Run(int targetOrders)
    {
        var demandTotal = _calendar.Demand.Sum();
        var expected = _calendar.Demand.Select(d => targetOrders * d / demandTotal).ToArray();
        // Each day's planned returning purchases, as customer indexes.
        var planned = new List<int>?[_calendar.Days];
        var qaCustomer = CreateQaCustomer();
        var testOrderEvery = Math.Max(1, _calendar.Days / TestOrderCount);

        var today = new List<PendingOrder>(512);
        for (var day = 0; day < _calendar.Days; day++)
        {
            var date = _calendar.Day(day);
            if (DemoCalendar.EventLevel(date) >= 2.3)
            {
                PullPlannedPurchasesForward(planned, day);
            }

            var total = _random.Poisson(expected[day] * _random.Jitter(0.06));
            var returning = planned[day] ?? [];
            var guests = _random.Poisson(total * GuestShare);
            var newCustomers = Math.Max(total - returning.Count - guests, (int)(total * 0.3));

            today.Clear();
            foreach (var customerIndex in returning)
            {
                today.Add(new PendingOrder(OrderTime(date), Buyer.Returning, customerIndex, OnlineSource()));
            }
            for (var i = 0; i < newCustomers; i++)
            {
                today.Add(new PendingOrder(OrderTime(date), Buyer.New, -1, OnlineSource()));
            }
            for (var i = 0; i < guests; i++)
            {
                // Pop-up shop sales rung up without a customer, and phone-number-only web checkouts.
                today.Add(new PendingOrder(OrderTime(date), Buyer.Guest, -1, _random.Chance(0.7) ? "pos" : "web"));
            }
            if (day % testOrderEvery == testOrderEvery / 2)
            {
                today.Add(new PendingOrder(LocalToUtc(date, TimeSpan.FromSeconds(_random.Next(9 * 3600, 11 * 3600))), Buyer.Test, qaCustomer, "web"));
            }
            today.Sort((a, b) => a.CreatedUtc.CompareTo(b.CreatedUtc));

            foreach (var pending in today)
            {
                var customerIndex = pending.Buyer == Buyer.New ? CreateCustomer(pending.CreatedUtc) : pending.CustomerIndex;
                var order = CreateOrder(date, pending, customerIndex);
                if (pending.Buyer is Buyer.New or Buyer.Returning)
                {
                    PlanNextPurchase(planned, day, customerIndex, isFirst: pending.Buyer == Buyer.New);
                }
            }
        }
        return new Result(_customers, _profiles, _orders, _lines, _refunds, expected);
    }

    private string OnlineSource() =>
        _random.NextDouble() switch
        {
            < PointOfSaleShare => "pos",
            < PointOfSaleShare + DraftOrderShare => "shopify_draft_order",
            _ => "web",
        };

    private DateTime OrderTime(DateOnly date)
    {
        var hour = _random.PickCumulative(HourCumulative);
        return LocalToUtc(date, new TimeSpan(hour, _random.Next(60), _random.Next(60)));
    }

    private int CreateQaCustomer()
    {
        _customerExternalId += _random.Next(1_000, 90_000);
        _customers.Add(new Customer
        {
            Id = _customers.Count + 1,
            ExternalId = _customerExternalId.ToString(CultureInfo.InvariantCulture),
            Email = "qa@demo-outfitters.com",
            FirstName = "Store",
            LastName = "QA",
            CreatedAtUtc = LocalToUtc(_calendar.FirstDay, TimeSpan.FromHours(9)),
        });
        _emails.Add("qa@demo-outfitters.com");
        _profiles.Add(new DemoCustomerProfile(DemoPeople.PopUpShop, AcceptsMarketing: false, Phone: null));
        _remainingRepeats.Add(0);
        return _customers.Count - 1;
    }

    private int CreateCustomer(DateTime firstOrderUtc)
    {
        var (first, last) = DemoPeople.Name(_random);
        // Some shoppers signed up for the newsletter (creating the customer) weeks before buying.
        var createdUtc = firstOrderUtc.AddSeconds(_random.Chance(0.2) ? -_random.Next(86_400, 60 * 86_400) : -_random.Next(120, 900));
        _customerExternalId += _random.Next(1_000, 240_000);
        _customers.Add(new Customer
        {
            Id = _customers.Count + 1,
            ExternalId = _customerExternalId.ToString(CultureInfo.InvariantCulture),
            Email = DemoPeople.Email(_random, first, last, _emails),
            FirstName = first,
            LastName = last,
            CreatedAtUtc = createdUtc,
        });
        var phone = _random.Chance(0.35) ? DemoPeople.Phone(_random) : null;
        _profiles.Add(new DemoCustomerProfile(DemoPeople.Address(_random), AcceptsMarketing: _random.Chance(0.58), phone));
        var repeats = 0;
        if (_random.Chance(ReturningProbability))
        {
            repeats = 1;
            while (repeats < MaxOrdersPerCustomer - 1 && _random.Chance(FurtherRepeatProbability))
            {
                repeats++;
            }
        }
        _remainingRepeats.Add(repeats);
        return _customers.Count - 1;
    }

    private void PlanNextPurchase(List<int>?[] planned, int day, int customerIndex, bool isFirst)
    {
        if (_remainingRepeats[customerIndex] == 0)
        {
            return;
        }
        _remainingRepeats[customerIndex]--;
        // A quick second purchase (other size or colour) is common; otherwise customers come back after a season.
        var gap = isFirst
            ? _random.Chance(0.28) ? _random.Between(4, 30) : _random.LogNormal(85, 0.7)
            : _random.LogNormal(70, 0.65);
        var next = day + Math.Max(3, (int)Math.Round(gap));
        if (next < _calendar.Days)
        {
            (planned[next] ??= []).Add(customerIndex);
        }
    }

    /// <summary>Black Friday e-mails make some returning customers buy now instead of in the next weeks.</summary>
    private void PullPlannedPurchasesForward(List<int>?[] planned, int day)
    {
        var target = planned[day] ??= [];
        for (var later = day + 1; later < Math.Min(_calendar.Days, day + 31); later++)
        {
            if (planned[later] is not { } list)
            {
                continue;
            }
            for (var i = list.Count - 1; i >= 0; i--)
            {
                if (_random.Chance(0.15))
                {
                    target.Add(list[i]);
                    list.RemoveAt(i);
                }
            }
        }
    }

    private Order CreateOrder(DateOnly date, PendingOrder pending, int customerIndex)
    {
        var customer = customerIndex >= 0 ? _customers[customerIndex] : null;
        var address = customerIndex >= 0 ? _profiles[customerIndex].Address : DemoPeople.PopUpShop;
        if (pending.Source == "pos")
        {
            address = DemoPeople.PopUpShop;
        }
        var createdUtc = pending.CreatedUtc;
        _orderExternalId += _random.Next(400, 4_000);
        var order = new Order
        {
            Id = _orders.Count + 1,
            ExternalId = _orderExternalId.ToString(CultureInfo.InvariantCulture),
            Name = "#" + (1001 + _orders.Count).ToString(CultureInfo.InvariantCulture),
            CustomerId = customer?.Id,
            Email = customer?.Email,
            CreatedAtUtc = createdUtc,
            LocalDate = date,
            Currency = "USD",
            SourceName = pending.Source,
            IsTest = pending.Buyer == Buyer.Test,
        };

        AddLines(order, date);
        ApplyDiscount(order, date, pending.Buyer);
        var subtotal = order.GrossSales - order.Discounts;
        order.Shipping = Shipping(pending.Source, subtotal);
        order.Taxes = Math.Round(subtotal * address.TaxRate, 2, MidpointRounding.AwayFromZero);
        order.Total = subtotal + order.Shipping + order.Taxes;

        var updatedUtc = createdUtc.AddSeconds(_random.Next(18 * 3600, 60 * 3600)); // fulfilled
        if (!order.IsTest && _random.Chance(CancelRate))
        {
            order.CancelledAtUtc = createdUtc.AddSeconds(_random.Next(1800, 30 * 3600));
            order.FinancialStatus = "voided";
            updatedUtc = order.CancelledAtUtc.Value;
        }
        else if (!order.IsTest && _random.Chance(RefundRate))
        {
            updatedUtc = AddRefund(order, address) ?? updatedUtc;
        }
        order.UpdatedAtUtc = updatedUtc < _endOfHistoryUtc ? updatedUtc : _endOfHistoryUtc;
        _orders.Add(order);
        return order;
    }

    private void AddLines(Order order, DateOnly date)
    {
        var lineCount = _random.PickCumulative(LineCountCumulative) + 1;
        var cumulative = _variantCumulativeByMonth[date.Month - 1];
        for (var i = 0; i < lineCount; i++)
        {
            var item = _catalog[_random.PickCumulative(cumulative)];
            if (order.Lines.Any(l => l.VariantId == item.Variant.Id))
            {
                continue; // same variant twice becomes quantity, not a second line; keep the order smaller instead
            }
            var quantity = item.SellsInMultiples
                ? _random.NextDouble() switch { < 0.6 => 1, < 0.85 => 2, _ => 3 }
                : _random.Chance(0.07) ? 2 : 1;
            var line = new OrderLine
            {
                Id = _lines.Count + 1,
                OrderId = order.Id,
                VariantId = item.Variant.Id,
                Sku = item.Variant.Sku,
                Title = DemoCatalog.LineTitle(item.Product, item.Variant),
                Quantity = quantity,
                UnitPrice = item.Variant.Price,
                UnitCost = item.UnitCostOn(date),
            };
            order.Lines.Add(line);
            _lines.Add(line);
            order.GrossSales += line.UnitPrice * quantity;
        }
    }

    /// <summary>One discount code per order: campaign codes in their windows, otherwise welcome, loyalty and creator codes.</summary>
    private void ApplyDiscount(Order order, DateOnly date, Buyer buyer)
    {
        var thanksgiving = DemoCalendar.Thanksgiving(date.Year);
        var sinceThanksgiving = date.DayNumber - thanksgiving.DayNumber;
        (string Code, decimal Percent)? orderLevel = null;
        if (sinceThanksgiving is >= -1 and <= 5)
        {
            orderLevel = _random.Chance(0.6) ? ("BFCM25", 0.25m) : null;
        }
        else if (sinceThanksgiving is >= -8 and <= -2 && buyer == Buyer.Returning)
        {
            orderLevel = _random.Chance(0.45) ? ("EARLYACCESS20", 0.20m) : null;
        }
        else if (date.Month == 7 && date.Day is >= 2 and <= 6)
        {
            orderLevel = _random.Chance(0.35) ? ("SUMMER15", 0.15m) : null;
        }
        else if (date.Month == 12 && date.Day is >= 8 and <= 19)
        {
            orderLevel = _random.Chance(0.22) ? ("GIFTGUIDE15", 0.15m) : null;
        }

        if (orderLevel is null && buyer != Buyer.Test)
        {
            var roll = _random.NextDouble();
            if (buyer == Buyer.New && roll < 0.15)
            {
                orderLevel = ("WELCOME10", 0.10m);
            }
            else if (buyer == Buyer.Returning && roll < 0.09)
            {
                orderLevel = ("VIP20", 0.20m);
            }
            else if (roll > 0.96)
            {
                orderLevel = ("TRAILCREW15", 0.15m);
            }
            else if (roll > 0.91 && order.Lines.Any(l => IsSmallAccessory(l)))
            {
                // A product-specific code: the discount sits on the accessory lines only.
                order.DiscountCode = "GEAR20";
                foreach (var line in order.Lines.Where(IsSmallAccessory))
                {
                    line.Discount = Math.Round(line.UnitPrice * line.Quantity * 0.20m, 2, MidpointRounding.AwayFromZero);
                    order.Discounts += line.Discount;
                }
                return;
            }
        }

        if (orderLevel is { } code)
        {
            order.DiscountCode = code.Code;
            order.Discounts = Math.Round(order.GrossSales * code.Percent, 2, MidpointRounding.AwayFromZero);
        }
    }

    private bool IsSmallAccessory(OrderLine line) => _catalog[(int)line.VariantId!.Value - 1].IsSmallAccessory;

    private decimal Shipping(string source, decimal subtotal)
    {
        if (source == "pos")
        {
            return 0m;
        }
        if (subtotal >= FreeShippingThreshold)
        {
            return _random.Chance(0.05) ? ExpeditedShipping : 0m;
        }
        return _random.Chance(0.12) ? ExpeditedShipping : StandardShipping;
    }

    /// <summary>Adds a full or partial refund days after the order; none when it would fall after the history's end.</summary>
    private DateTime? AddRefund(Order order, DemoAddress address)
    {
        var beforeShipping = _random.Chance(0.15);
        var delayDays = beforeShipping ? _random.Between(0.1, 2.5) : _random.LogNormal(13, 0.45);
        var refundLocalDate = order.LocalDate.AddDays((int)Math.Ceiling(delayDays));
        if (refundLocalDate > _calendar.LastDay)
        {
            return null;
        }
        // Refunds are processed during office hours, at the earliest the day after the order.
        var refundUtc = LocalToUtc(refundLocalDate, TimeSpan.FromSeconds(_random.Next(9 * 3600, 18 * 3600)));

        var full = beforeShipping || order.Lines.Count == 1 && order.Lines[0].Quantity == 1 || _random.Chance(0.25);
        decimal amount, shippingRefunded = 0m;
        if (full)
        {
            amount = order.GrossSales - order.Discounts;
            shippingRefunded = beforeShipping ? order.Shipping : 0m;
        }
        else
        {
            // One unit of one line comes back; its refund is its price less its share of the discounts.
            var line = order.Lines[_random.Next(order.Lines.Count)];
            var lineNet = line.UnitPrice * line.Quantity - line.Discount;
            var orderLevelDiscount = order.Discounts - order.Lines.Sum(l => l.Discount);
            var linesNet = order.GrossSales - order.Lines.Sum(l => l.Discount);
            var lineShare = linesNet == 0 ? 0m : orderLevelDiscount * lineNet / linesNet;
            amount = Math.Round((lineNet - lineShare) / line.Quantity, 2, MidpointRounding.AwayFromZero);
        }
        var taxRefunded = full ? order.Taxes : Math.Round(amount * address.TaxRate, 2, MidpointRounding.AwayFromZero);
        _refundExternalId += _random.Next(5_000, 900_000);
        var refund = new Refund
        {
            Id = _refunds.Count + 1,
            OrderId = order.Id,
            ExternalId = _refundExternalId.ToString(CultureInfo.InvariantCulture),
            CreatedAtUtc = refundUtc,
            LocalDate = refundLocalDate,
            Amount = amount,
            ShippingRefunded = shippingRefunded,
            TaxRefunded = taxRefunded,
        };
        order.Refunds.Add(refund);
        _refunds.Add(refund);
        var everythingBack = amount + shippingRefunded + taxRefunded == order.Total;
        order.FinancialStatus = everythingBack ? "refunded" : "partially_refunded";
        return refundUtc;
    }

    private DateTime LocalToUtc(DateOnly date, TimeSpan time) => _clock.ToUtc(date, time);
}
