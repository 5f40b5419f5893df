using System.Globalization;
using AdIntel.Web.Creatives.Trends;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Metrics;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Creatives;

/// <summary>
/// <c>GET /api/creatives/trends?window=90&amp;to=YYYY-MM-DD&amp;competitorId=</c>: what changed in the store's and its
/// competitors' creatives between the last <c>window</c> days up to <c>to</c> and the window before.
/// </summary>
public static class CreativeTrendsEndpoint
{
    public static RouteGroupBuilder MapCreativeTrends(this RouteGroupBuilder creatives)
    {
        creatives.MapGet("/trends", GetAsync).RequireAuthorization(Policies.Viewer);
        return creatives;
    }

    /// <summary>Meta's Ad Library and the store's own delivery do not reach further back; it also keeps both windows real dates.</summary>
    private const int MaxYearsBack = 10;

    /// <summary>The query as the screen and the API take it: the window's length and end, or every problem by parameter.</summary>
    public static (int Days, DateOnly To, Dictionary<string, string> Errors) ReadQuery(string? window, string? to, DateOnly today)
    {
        var errors = new Dictionary<string, string>();
        var days = CreativeTrendsQuery.DefaultWindowDays;
        if (!string.IsNullOrWhiteSpace(window)
            && (!int.TryParse(window, NumberStyles.None, CultureInfo.InvariantCulture, out days)
                || days is < CreativeTrendsQuery.MinWindowDays or > CreativeTrendsQuery.MaxWindowDays))
        {
            errors["window"] = $"window is a number of days from {CreativeTrendsQuery.MinWindowDays} to {CreativeTrendsQuery.MaxWindowDays}.";
        }
        var end = today;
        if (!string.IsNullOrWhiteSpace(to))
        {
            if (!DateOnly.TryParseExact(to, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out end))
            {
                errors["to"] = "to is a date as YYYY-MM-DD.";
            }
            else if (end > today)
            {
                errors["to"] = $"to cannot be after today ({today:yyyy-MM-dd}).";
            }
            else if (end < today.AddYears(-MaxYearsBack))
            {
                errors["to"] = $"to can go back at most {MaxYearsBack} years (to {today.AddYears(-MaxYearsBack):yyyy-MM-dd}).";
            }
        }
        return (days, end, errors);
    }

    private static async Task<IResult> GetAsync(string? window, string? to, string? competitorId, CreativeTrendsQuery trends, StoreClock clock,
        AdIntelDbContext db, CancellationToken cancellationToken)
    {
        var (days, end, errors) = ReadQuery(window, to, await clock.GetTodayAsync(cancellationToken));
        long? competitor = null;
        if (!string.IsNullOrWhiteSpace(competitorId))
        {
            if (long.TryParse(competitorId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                competitor = id;
            }
            else
            {
                errors["competitorId"] = "competitorId is the id of a watched competitor (GET /api/creatives/competitors).";
            }
        }
        if (errors.Count > 0)
        {
            return ApiResults.BadRequest("The trends cannot be read as asked: " + string.Join(" ", errors.Values), errors);
        }
        // The store filter makes another store's competitor unknown here.
        if (competitor is { } watched && !await db.Competitors.AnyAsync(c => c.Id == watched, cancellationToken))
        {
            return ApiResults.NotFound("Competitor");
        }
        return ApiResults.Ok(await trends.GetAsync(end, days, competitor, cancellationToken));
    }
}
