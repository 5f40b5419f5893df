using System.Globalization;
using AdIntel.Web.Reports.Ltv;

namespace AdIntel.Web.Tests.Reports.Ltv;

/// <summary>The CDNOW sample's purchases (see TestData/README.md).</summary>
internal static class CdnowSample
{
    public static readonly DateOnly CalibrationEnd = new(1997, 9, 30);

    private static readonly Lazy<IReadOnlyList<Purchase>> Lazy = new(Load);

    public static IReadOnlyList<Purchase> Purchases => Lazy.Value;

    private static List<Purchase> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Reports", "Ltv", "TestData", "CDNOW_sample.txt");
        return File.ReadLines(path)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 5)
            .Select(fields => new Purchase(
                long.Parse(fields[0], CultureInfo.InvariantCulture),
                DateOnly.ParseExact(fields[2], "yyyyMMdd", CultureInfo.InvariantCulture),
                decimal.Parse(fields[4], CultureInfo.InvariantCulture)))
            .ToList();
    }
}
