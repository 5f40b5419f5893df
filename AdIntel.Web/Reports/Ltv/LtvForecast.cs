using System.Globalization;
using System.Text.Json.Serialization;

namespace AdIntel.Web.Reports.Ltv;

/// <summary>One customer's forecast over the next 12 months, as the page and the downloads list it.</summary>
public sealed record LtvCustomerForecast(long CustomerId, int RepeatPurchases, double WeeksSinceLastPurchase, double ProbabilityAlive,
    double ExpectedPurchases, double? ExpectedSales);

/// <summary>
/// What a fit of the store's models means for the next 12 months, computed once when the fit runs and stored with it:
/// the expected sales from today's customers, how concentrated they are, how many customers are likely still active,
/// the customers expected to spend the most, and the parameters behind it (weeks, orders up to <see cref="CalibrationEnd"/>).
/// </summary>
public sealed record LtvForecast(
    DateOnly CalibrationEnd,
    int Customers,
    int RepeatCustomers,
    /// <summary>Σ over today's customers of expected purchases × expected value per purchase in the next 52 weeks.</summary>
    double ExpectedSales,
    /// <summary><see cref="ExpectedSales"/> × the store's gross margin.</summary>
    double ExpectedGrossProfit,
    double ExpectedPurchases,
    /// <summary>Customers expected to buy at least once in the next 52 weeks (Σ of each one's probability).</summary>
    double ExpectedActiveCustomers,
    /// <summary>The top 10% of customers by expected sales (at least one).</summary>
    int TopDecileCustomers,
    /// <summary>Their share of <see cref="ExpectedSales"/>.</summary>
    double TopDecileShare,
    double GrossMargin,
    BgNbdModel Purchases,
    double PurchasesLogLikelihood,
    GammaGammaModel Value,
    double ValueLogLikelihood,
    IReadOnlyList<LtvCustomerForecast> TopCustomers)
{
    public const int HorizonWeeks = 52;
    public const int CustomersShown = 25;

    /// <summary>The forecast of a fit in weeks.</summary>
    public static LtvForecast From(LtvModelFit fit)
    {
        if (fit.Unit != BtydUnit.Week)
        {
            throw new ArgumentException("The forecast counts in weeks.", nameof(fit));
        }
        var customers = fit.Summary.Select(c =>
        {
            var outlook = fit.Outlook(c, HorizonWeeks);
            return (Outlook: outlook, BuysAgain: fit.Purchases.ProbabilityBuysWithin(HorizonWeeks, c.Frequency, c.Recency, c.Age));
        }).OrderByDescending(c => c.Outlook.ExpectedSales ?? 0).ThenBy(c => c.Outlook.Customer.CustomerId).ToList();
        var expectedSales = customers.Sum(c => c.Outlook.ExpectedSales ?? 0);
        var topDecile = Math.Max(1, (int)Math.Ceiling(customers.Count / 10.0));
        var topDecileSales = customers.Take(topDecile).Sum(c => c.Outlook.ExpectedSales ?? 0);
        return new LtvForecast(fit.CalibrationEnd, fit.Customers, fit.RepeatCustomers, expectedSales, expectedSales * fit.GrossMargin,
            customers.Sum(c => c.Outlook.ExpectedPurchases), customers.Sum(c => c.BuysAgain), topDecile, expectedSales > 0 ? topDecileSales / expectedSales : 0,
            fit.GrossMargin, fit.Purchases, fit.PurchasesLogLikelihood, fit.Value, fit.ValueLogLikelihood,
            customers.Take(CustomersShown).Select(c => new LtvCustomerForecast(c.Outlook.Customer.CustomerId, c.Outlook.Customer.Frequency,
                c.Outlook.Customer.Age - c.Outlook.Customer.Recency, c.Outlook.ProbabilityAlive, c.Outlook.ExpectedPurchases, c.Outlook.ExpectedSales)).ToList());
    }

    /// <summary>Share of customers expected to buy again in the next 12 months.</summary>
    [JsonIgnore]
    public double ActiveShare => Customers == 0 ? 0 : ExpectedActiveCustomers / Customers;

    /// <summary>The dropout part of the model in words (see <see cref="BgNbdModel.DropoutInWords"/>).</summary>
    [JsonIgnore]
    public string DropoutInWords => Purchases.DropoutInWords;

    public static string Percent(double share) => share.ToString("0%", CultureInfo.InvariantCulture);
}
