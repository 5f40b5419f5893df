using System.Text.Json;

namespace AdIntel.Web.Integrations.Meta;

/// <summary>
/// The usage headers Meta returns with every call (docs/integrations.md#errors-and-throttling): the highest utilisation in percent across
/// <c>X-App-Usage</c>, <c>X-Ad-Account-Usage</c> and <c>X-Business-Use-Case-Usage</c>, and the longest
/// <c>estimated_time_to_regain_access</c> (minutes) — Meta sends no Retry-After, so this is the only wait hint.
/// </summary>
public sealed record MetaUsage(double MaxPercent, TimeSpan RegainAccessIn)
{
    public static readonly MetaUsage None = new(0, TimeSpan.Zero);

    /// <summary>Utilisation above which a client should slow down before Meta throttles it (it throttles at 100).</summary>
    public const double SlowDownAbovePercent = 75;

    public bool IsThrottled => MaxPercent >= 100 || RegainAccessIn > TimeSpan.Zero;

    public static MetaUsage Parse(string? appUsage, string? adAccountUsage, string? businessUseCaseUsage)
    {
        var percent = 0d;
        var regainMinutes = 0d;
        foreach (var header in new[] { appUsage, adAccountUsage })
        {
            if (Read(header) is { ValueKind: JsonValueKind.Object } usage)
            {
                percent = Math.Max(percent, HighestPercent(usage));
            }
        }
        if (Read(businessUseCaseUsage) is { ValueKind: JsonValueKind.Object } business)
        {
            foreach (var account in business.EnumerateObject().Where(a => a.Value.ValueKind == JsonValueKind.Array))
            {
                foreach (var useCase in account.Value.EnumerateArray().Where(u => u.ValueKind == JsonValueKind.Object))
                {
                    percent = Math.Max(percent, HighestPercent(useCase));
                    if (useCase.TryGetProperty("estimated_time_to_regain_access", out var regain) && regain.TryGetDouble(out var minutes))
                    {
                        regainMinutes = Math.Max(regainMinutes, minutes);
                    }
                }
            }
        }
        return new MetaUsage(percent, TimeSpan.FromMinutes(regainMinutes));
    }

    private static double HighestPercent(JsonElement usage)
    {
        var max = 0d;
        foreach (var name in (string[])["call_count", "total_time", "total_cputime", "acc_id_util_pct", "app_id_util_pct"])
        {
            if (usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number))
            {
                max = Math.Max(max, number);
            }
        }
        return max;
    }

    private static JsonElement? Read(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(header);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
