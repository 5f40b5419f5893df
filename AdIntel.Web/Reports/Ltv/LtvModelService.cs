using AdIntel.Web.Infrastructure.Caching;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Reports.Ltv;

/// <summary>A store's fitted BG/NBD + Gamma-Gamma models and the customer summary they were fitted on.</summary>
public sealed record LtvModelFit(
    DateOnly CalibrationEnd,
    BtydUnit Unit,
    BgNbdModel Purchases,
    double PurchasesLogLikelihood,
    GammaGammaModel Value,
    double ValueLogLikelihood,
    int Customers,
    int RepeatCustomers,
    /// <summary>Σ gross profit ÷ Σ net sales of the calibration period's orders: turns predicted sales into gross profit.</summary>
    double GrossMargin,
    /// <summary>Mean gross profit of customers' first purchase day (the part of LTV that is already known at acquisition).</summary>
    double FirstPurchaseGrossProfit,
    IReadOnlyList<BtydCustomer> Summary)
{
    /// <summary>One customer's outlook over <paramref name="horizon"/> units after the calibration end.</summary>
    public CustomerOutlook Outlook(BtydCustomer customer, double horizon)
    {
        var purchases = Purchases.ConditionalExpectedPurchases(horizon, customer.Frequency, customer.Recency, customer.Age);
        var valuePerPurchase = Value.ConditionalExpectedValue(customer.Frequency, customer.MeanRepeatValue ?? 0);
        return new CustomerOutlook(customer, purchases, Purchases.ProbabilityAlive(customer.Frequency, customer.Recency, customer.Age),
            valuePerPurchase, valuePerPurchase is { } value ? purchases * value : null);
    }
}

/// <summary>What the models expect of one customer: purchases and sales over a horizon, and whether they are still a customer.</summary>
public sealed record CustomerOutlook(BtydCustomer Customer, double ExpectedPurchases, double ProbabilityAlive, double? ExpectedValuePerPurchase,
    double? ExpectedSales);

/// <summary>Why a store's models cannot be fitted (too few customers or repeat buyers).</summary>
public sealed class InsufficientLtvDataException(string message) : Exception(message);

/// <summary>A step of a fit, for progress shown while it runs.</summary>
public enum LtvFitStage
{
    ReadingOrders,
    FittingPurchases,
    FittingValue,
    Forecasting,
}

/// <summary>
/// Fits the current store's BTYD models on its orders (one transaction per customer and store-local day, valued at net
/// sales: gross − discounts − refunds). Fits are cached per store, calibration end and unit while the store's daily facts
/// (rebuilt after every data change) stay the same.
/// </summary>
public sealed class LtvModelService(AdIntelDbContext db, StoreContext storeContext, StoreCache cache, LedgerCache ledgers)
{
    /// <summary>Fewer repeat buyers than this leave the Gamma-Gamma and dropout parameters unidentified in practice.</summary>
    public const int MinimumRepeatCustomers = 10;

    public async Task<LtvModelFit> FitAsync(DateOnly calibrationEnd, BtydUnit unit, CancellationToken cancellationToken)
    {
        var fingerprint = await FactsFingerprint.ReadAsync(db, cancellationToken);
        return await cache.GetOrBuildAsync(new StoreCacheKey(nameof(LtvModelService), storeContext.RequiredStoreId, (calibrationEnd, unit)),
            fingerprint?.Version ?? "",
            (services, ct) => FitUncachedAsync(services.GetRequiredService<LedgerCache>(), calibrationEnd, unit, null, ct), TimeSpan.FromHours(1), cancellationToken);
    }

    /// <summary>A fit made now (not cached), telling <paramref name="onStage"/> as it moves on: the stored fit's job.</summary>
    public Task<LtvModelFit> FitNowAsync(DateOnly calibrationEnd, BtydUnit unit, Func<LtvFitStage, Task> onStage, CancellationToken cancellationToken) =>
        FitUncachedAsync(ledgers, calibrationEnd, unit, onStage, cancellationToken);

    private static async Task<LtvModelFit> FitUncachedAsync(LedgerCache ledgers, DateOnly calibrationEnd, BtydUnit unit, Func<LtvFitStage, Task>? onStage,
        CancellationToken cancellationToken)
    {
        if (onStage is not null)
        {
            await onStage(LtvFitStage.ReadingOrders);
        }
        var ledger = await ledgers.GetAsync(cancellationToken);
        var orders = ledger.Orders.Values.Where(o => o.CustomerId is not null && o.LocalDate <= calibrationEnd).ToList();
        var summary = BtydSummary.Build(orders.Select(o => new Purchase(o.CustomerId!.Value, o.LocalDate, o.NetSales)), calibrationEnd, unit);
        var repeatCustomers = summary.Count(c => c.Frequency > 0);
        if (summary.Count(c => c.Frequency > 0 && c.MeanRepeatValue > 0) < MinimumRepeatCustomers)
        {
            throw new InsufficientLtvDataException(
                $"{summary.Count:N0} customers bought by {calibrationEnd:yyyy-MM-dd} and {repeatCustomers:N0} of them came back; the models need at least {MinimumRepeatCustomers} repeat customers.");
        }

        if (onStage is not null)
        {
            await onStage(LtvFitStage.FittingPurchases);
        }
        var purchases = BgNbdModel.Fit(summary);
        if (onStage is not null)
        {
            await onStage(LtvFitStage.FittingValue);
        }
        var (value, valueLogLikelihood, _) = GammaGammaModel.Fit(summary);

        var netSales = orders.Sum(o => o.NetSales);
        var grossProfit = orders.Sum(o => o.NetSales - o.Cogs);
        var firstDays = orders.GroupBy(o => o.CustomerId!.Value)
            .Select(g => { var first = g.Min(o => o.LocalDate); return g.Where(o => o.LocalDate == first).Sum(o => o.NetSales - o.Cogs); })
            .ToList();
        return new LtvModelFit(calibrationEnd, unit, purchases.Model, purchases.LogLikelihood, value, valueLogLikelihood, summary.Count, repeatCustomers,
            netSales == 0 ? 0 : (double)(grossProfit / netSales), firstDays.Count == 0 ? 0 : (double)firstDays.Average(), summary);
    }
}

/// <summary>
/// The overview's LTV for stores too young for an observed first-year curve: a new customer's first purchase day's mean
/// gross profit, plus the BG/NBD expected repeat purchases by each day × the Gamma-Gamma mean value per purchase × the
/// store's gross margin. Null (the overview then says "insufficient history") when the models cannot be fitted.
/// </summary>
public sealed class BtydLtvPredictor(LtvModelService models, ILogger<BtydLtvPredictor> logger) : ILtvPredictor
{
    public async Task<LtvCurve?> PredictAsync(DateOnly asOf, CancellationToken cancellationToken)
    {
        LtvModelFit fit;
        try
        {
            fit = await models.FitAsync(asOf, BtydUnit.Week, cancellationToken);
        }
        catch (InsufficientLtvDataException e)
        {
            logger.LogDebug("No predicted LTV: {Reason}", e.Message);
            return null;
        }
        if (fit.Value.PopulationMeanValue is not { } valuePerPurchase)
        {
            return null;
        }
        var curve = new decimal[LtvCurve.HorizonDays];
        for (var day = 0; day < curve.Length; day++)
        {
            var repeats = fit.Purchases.ExpectedPurchases(day / 7.0);
            curve[day] = (decimal)(fit.FirstPurchaseGrossProfit + repeats * valuePerPurchase * fit.GrossMargin);
        }
        return new LtvCurve(LtvBasis.Predicted, fit.Customers, curve);
    }
}
