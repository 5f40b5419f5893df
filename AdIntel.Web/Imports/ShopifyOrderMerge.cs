using AdIntel.Web.Domain;

namespace AdIntel.Web.Imports;

/// <summary>
/// How an order read from a Shopify export is compared with, and written onto, the stored order of the same id.
/// Lines compare on what the file says (the unit cost is ours: the variant's cost when the line was first imported).
/// </summary>
internal static class ShopifyOrderMerge
{
    /// <summary>External id prefix of the one refund an export's "Refunded Amount" becomes.</summary>
    public const string RefundPrefix = "csv:";

    /// <summary>Whether the stored order (with its lines and refunds) already says exactly what the file says.</summary>
    public static bool IsUnchanged(Order stored, Order incoming, Refund? incomingRefund) =>
        SameOrderFields(stored, incoming) && SameLines(stored.Lines.OrderBy(l => l.Id).ToList(), incoming.Lines)
        && !RefundDiffers(stored, incomingRefund);

    private static bool SameOrderFields(Order stored, Order incoming) =>
        stored.ExternalId == incoming.ExternalId && stored.Name == incoming.Name && stored.Email == incoming.Email
        && stored.CustomerId == incoming.CustomerId && stored.CreatedAtUtc == incoming.CreatedAtUtc && stored.LocalDate == incoming.LocalDate
        && stored.Currency == incoming.Currency && stored.FinancialStatus == incoming.FinancialStatus
        && stored.CancelledAtUtc == incoming.CancelledAtUtc && stored.IsTest == incoming.IsTest && stored.SourceName == incoming.SourceName
        && stored.GrossSales == incoming.GrossSales && stored.Discounts == incoming.Discounts && stored.Shipping == incoming.Shipping
        && stored.Taxes == incoming.Taxes && stored.Total == incoming.Total && stored.DiscountCode == incoming.DiscountCode;

    /// <summary>Copies what the file says onto the stored (tracked) order, replacing its lines when they differ.</summary>
    public static void ApplyOrder(Order stored, Order incoming)
    {
        stored.ExternalId = incoming.ExternalId;
        stored.Name = incoming.Name;
        stored.Email = incoming.Email;
        stored.CustomerId = incoming.CustomerId;
        stored.CreatedAtUtc = incoming.CreatedAtUtc;
        stored.LocalDate = incoming.LocalDate;
        stored.Currency = incoming.Currency;
        stored.FinancialStatus = incoming.FinancialStatus;
        stored.CancelledAtUtc = incoming.CancelledAtUtc;
        stored.IsTest = incoming.IsTest;
        stored.SourceName = incoming.SourceName;
        stored.GrossSales = incoming.GrossSales;
        stored.Discounts = incoming.Discounts;
        stored.Shipping = incoming.Shipping;
        stored.Taxes = incoming.Taxes;
        stored.Total = incoming.Total;
        stored.DiscountCode = incoming.DiscountCode;

        var storedLines = stored.Lines.OrderBy(l => l.Id).ToList();
        if (SameLines(storedLines, incoming.Lines))
        {
            return;
        }
        // The cost a line had when it was first imported is the cost "when ordered"; keep it for the same SKU.
        var previousCosts = storedLines.Where(l => l.Sku is not null && l.UnitCost is not null)
            .GroupBy(l => l.Sku!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().UnitCost, StringComparer.Ordinal);
        stored.Lines.Clear();
        foreach (var line in incoming.Lines)
        {
            if (line.Sku is not null && previousCosts.TryGetValue(line.Sku, out var cost))
            {
                line.UnitCost = cost;
            }
            line.OrderId = stored.Id;
            stored.Lines.Add(line);
        }
    }

    /// <summary>Lines compare on what the file says; the unit cost is ours, not the file's.</summary>
    private static bool SameLines(List<OrderLine> stored, List<OrderLine> incoming) =>
        stored.Count == incoming.Count
        && stored.Zip(incoming).All(p => p.First.Title == p.Second.Title && p.First.Sku == p.Second.Sku
            && p.First.Quantity == p.Second.Quantity && p.First.UnitPrice == p.Second.UnitPrice && p.First.Discount == p.Second.Discount);

    private static bool IsFromCsv(Refund refund) => refund.ExternalId.StartsWith(RefundPrefix, StringComparison.Ordinal);

    /// <summary>
    /// Whether the order's CSV refund must change. Real refunds from a store connection are more precise than the
    /// export's single total, so an order that has them keeps them and gets no CSV refund.
    /// </summary>
    private static bool RefundDiffers(Order stored, Refund? incoming)
    {
        if (stored.Refunds.Any(r => !IsFromCsv(r)))
        {
            return false;
        }
        var current = stored.Refunds.FirstOrDefault(IsFromCsv);
        if (incoming is null || current is null)
        {
            return incoming is not null || current is not null;
        }
        return current.ExternalId != incoming.ExternalId || current.Amount != incoming.Amount || current.ShippingRefunded != incoming.ShippingRefunded
            || current.TaxRefunded != incoming.TaxRefunded || current.LocalDate != incoming.LocalDate || current.CreatedAtUtc != incoming.CreatedAtUtc;
    }

    /// <summary>Makes the stored (tracked) order's CSV refund what the file says; true when it changed.</summary>
    public static bool ApplyRefund(Order stored, Refund? incoming)
    {
        if (!RefundDiffers(stored, incoming))
        {
            return false;
        }
        var current = stored.Refunds.FirstOrDefault(IsFromCsv);
        if (incoming is null)
        {
            stored.Refunds.Remove(current!);
        }
        else if (current is null)
        {
            incoming.OrderId = stored.Id;
            stored.Refunds.Add(incoming);
        }
        else
        {
            current.ExternalId = incoming.ExternalId;
            current.Amount = incoming.Amount;
            current.ShippingRefunded = incoming.ShippingRefunded;
            current.TaxRefunded = incoming.TaxRefunded;
            current.LocalDate = incoming.LocalDate;
            current.CreatedAtUtc = incoming.CreatedAtUtc;
        }
        return true;
    }
}
