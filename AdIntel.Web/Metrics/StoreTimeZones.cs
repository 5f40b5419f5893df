namespace AdIntel.Web.Metrics;

/// <summary>
/// The time zones a store may have: every IANA zone the system lists, plus the identifiers Shopify gives stores that
/// the system knows only as aliases (UTC is Shopify's Etc/UTC, "International Date Line West" is Etc/GMT+12, and a few
/// older city names). The setup page offers this list and accepts nothing else.
/// </summary>
public static class StoreTimeZones
{
    private static readonly string[] ShopifyAliases =
        ["Etc/UTC", "Etc/GMT+12", "America/Godthab", "Asia/Chongqing", "Asia/Rangoon", "Europe/Kiev"];

    private static readonly HashSet<string> Known = new(
        TimeZoneInfo.GetSystemTimeZones().Select(zone => zone.Id)
            // IANA identifiers only (Windows lists its own names, which Shopify never uses).
            .Where(id => id.Contains('/', StringComparison.Ordinal) || id == "UTC")
            .Concat(ShopifyAliases.Where(id => TimeZoneInfo.TryFindSystemTimeZoneById(id, out _))),
        StringComparer.Ordinal);

    public static IReadOnlyList<string> All { get; } = [.. Known.Order(StringComparer.Ordinal)];

    public static bool Contains(string? timeZoneId) => timeZoneId is not null && Known.Contains(timeZoneId);
}
