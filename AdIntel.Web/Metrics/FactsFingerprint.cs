using System.Globalization;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Metrics;

/// <summary>
/// A summary of the current store's daily facts (rebuilt after every data change) that changes whenever its data does:
/// what derives from all of a store's orders (the LTV curve, the predicted-LTV fit) is reused while it stays the same.
/// It comes from the database rather than from an in-process signal, so several app instances agree.
/// </summary>
public sealed record FactsFingerprint(int Days, DateOnly? LastOrderDate, int Orders, int NewCustomers, int LineItemsWithCost,
    double GrossSales, double Discounts, double Returns, double Cogs, double NewCustomerNetSales)
{
    /// <summary>The fingerprint of the current store's facts; null when it has none.</summary>
    public static Task<FactsFingerprint?> ReadAsync(AdIntelDbContext db, CancellationToken cancellationToken) =>
        // Money is summed as floating point: the fingerprint only has to change when the data does, and native sums
        // keep this per-request query cheap (SQLite sums decimals through a managed function otherwise).
        db.DailyFacts.AsNoTracking()
            .GroupBy(f => 1)
            .Select(g => new FactsFingerprint(
                g.Count(),
                g.Max(f => f.Orders > 0 ? (DateOnly?)f.Date : null),
                g.Sum(f => f.Orders),
                g.Sum(f => f.NewCustomers),
                g.Sum(f => f.LineItemsWithCost),
                g.Sum(f => (double)f.GrossSales),
                g.Sum(f => (double)f.Discounts),
                g.Sum(f => (double)f.Returns),
                g.Sum(f => (double)f.Cogs),
                g.Sum(f => (double)f.NewCustomerNetSales)))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The fingerprint as text to store: sums to cents, so a floating-point sum taken in another order (another
    /// query plan, another provider's parallel aggregate) reads as the same data.
    /// </summary>
    public string Version => string.Create(CultureInfo.InvariantCulture,
        $"{Days}|{LastOrderDate:yyyy-MM-dd}|{Orders}|{NewCustomers}|{LineItemsWithCost}|{GrossSales:F2}|{Discounts:F2}|{Returns:F2}|{Cogs:F2}|{NewCustomerNetSales:F2}");
}
