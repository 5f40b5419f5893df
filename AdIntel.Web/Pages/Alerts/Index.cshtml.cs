using AdIntel.Web.Alerts;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Htmx;
using AdIntel.Web.Metrics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Alerts;

/// <summary>
/// The alerts screen: filters (a GET form), the list with evidence and next step, per-alert acknowledge, snooze, resolve
/// and dismiss, and bulk dismissal. An htmx request gets the list alone, with the navigation badge out of band.
/// </summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class IndexModel(AlertQuery query, AlertWriter writer, StoreClock clock, TimeProvider time) : PageModel
{
    /// <summary>What the list shows when no status is chosen: what still needs someone (not snoozed, not settled).</summary>
    public const string DefaultStatuses = AlertStatuses.Open + "," + AlertStatuses.Acknowledged;

    public AlertFilter Filter { get; private set; } = new();
    public IReadOnlyList<AlertView> Alerts { get; private set; } = [];
    public string? NextCursor { get; private set; }
    public IReadOnlyDictionary<string, string> Problems { get; private set; } = new Dictionary<string, string>();
    public int OpenCount { get; private set; }
    public TimeZoneInfo TimeZone { get; private set; } = TimeZoneInfo.Utc;
    public bool CanEdit => User.GetStoreRole() >= StoreRole.Marketer;

    /// <summary>The status choice as the form shows it ("" = the default view).</summary>
    public string StatusChoice => Request.Query["status"].ToString();

    [TempData]
    public string? Flash { get; set; }

    /// <summary>The outcome of an action answered in place (htmx), where no redirect carries <see cref="Flash"/>.</summary>
    public string? Notice { get; private set; }

    public string? Failure { get; private set; }

    [TempData]
    public string? Problem { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return this.PageOrPartial("_AlertList", this);
    }

    /// <summary>The navigation badge alone (its periodic refresh).</summary>
    public async Task<IActionResult> OnGetBadgeAsync(CancellationToken cancellationToken) =>
        Partial("_AlertsBadge", new AlertsBadge(await query.CountOpenAsync(cancellationToken), OutOfBand: false));

    public async Task<IActionResult> OnPostStatusAsync(long id, string? status, string? snooze, string? until, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        var calendar = await clock.GetCalendarAsync(cancellationToken);
        DateTime? snoozeUntil = null;
        if (status == AlertStatuses.Snoozed)
        {
            snoozeUntil = SnoozeChoices.Until(snooze, until, calendar.TimeZone, time.GetUtcNow().UtcDateTime);
            if (snoozeUntil is null)
            {
                return await AnswerAsync(null, "Choose how long to snooze: 1 hour, until tomorrow, 1 week, or a date and time.", cancellationToken);
            }
        }
        var result = await writer.ChangeStatusAsync(id, status ?? "", snoozeUntil, User.GetActor(), cancellationToken);
        if (result.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }
        return result.Ok
            ? await AnswerAsync($"\"{result.Alert!.Title}\": {Describe(result.Alert)}.", null, cancellationToken)
            : await AnswerAsync(null, result.Message, cancellationToken);
    }

    public async Task<IActionResult> OnPostDismissAsync(long[]? ids, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        if (ids is not { Length: > 0 })
        {
            return await AnswerAsync(null, "Select the alerts to dismiss.", cancellationToken);
        }
        var dismissed = await writer.DismissAsync([.. ids.Take(AlertsEndpoints.MaxBulk)], User.GetActor(), cancellationToken);
        return await AnswerAsync(dismissed.Count == 1 ? "1 alert dismissed." : $"{dismissed.Count} alerts dismissed.", null, cancellationToken);
    }

    /// <summary>After an action: htmx gets the list again (same filters, badge out of band); a plain form post the page.</summary>
    private async Task<IActionResult> AnswerAsync(string? flash, string? problem, CancellationToken cancellationToken)
    {
        if (Request.IsHtmxFragmentRequest())
        {
            await LoadAsync(cancellationToken);
            Flash = null;
            Problem = null;
            Notice = flash;
            Failure = problem;
            return Partial("_AlertList", this);
        }
        Flash = flash;
        Problem = problem;
        return Redirect("/alerts" + FilterQuery);
    }

    /// <summary>The filters of the current request (without handler), to come back to the same list.</summary>
    public string FilterQuery
    {
        get
        {
            var pairs = Request.Query.Where(q => q.Key is not "handler" and not "cursor")
                .SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? "")}")).ToList();
            return pairs.Count == 0 ? "" : "?" + string.Join("&", pairs);
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var (filter, problems) = AlertFilter.Parse(Request.Query);
        if (!Request.Query.ContainsKey("status"))
        {
            filter = filter with { Statuses = DefaultStatuses.Split(',') };
        }
        Problems = problems;
        Filter = filter;
        TimeZone = (await clock.GetCalendarAsync(cancellationToken)).TimeZone;
        OpenCount = await query.CountOpenAsync(cancellationToken);
        if (problems.Count > 0)
        {
            return;
        }
        var page = await query.ListAsync(filter, cancellationToken);
        Alerts = [.. page.Alerts.Select(AlertView.From)];
        NextCursor = page.Next;
    }

    private string Describe(Alert alert) => alert.Status == AlertStatuses.Snoozed
        ? $"snoozed until {SnoozeChoices.Local(alert.SnoozedUntilUtc!.Value, TimeZone):yyyy-MM-dd HH:mm}"
        : alert.Status;
}

/// <summary>The navigation badge: open alerts; <see cref="OutOfBand"/> when it rides along an htmx answer.</summary>
public sealed record AlertsBadge(int Open, bool OutOfBand);

/// <summary>The snooze choices of the screen, turned into a time (UTC).</summary>
public static class SnoozeChoices
{
    /// <summary>"Until tomorrow" ends at this store-local hour.</summary>
    public const int TomorrowHour = 8;

    /// <summary>1h, tomorrow (8:00 store time), 1w, or custom with <paramref name="until"/> a store-local date and time; null when unusable.</summary>
    public static DateTime? Until(string? choice, string? until, TimeZoneInfo zone, DateTime nowUtc)
    {
        switch (choice)
        {
            case "1h":
                return nowUtc.AddHours(1);
            case "1w":
                return nowUtc.AddDays(7);
            case "tomorrow":
                var tomorrow = DateOnly.FromDateTime(Local(nowUtc, zone)).AddDays(1);
                return TimeZoneInfo.ConvertTimeToUtc(tomorrow.ToDateTime(new TimeOnly(TomorrowHour, 0)), zone);
            case "custom" when DateTime.TryParse(until, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var local):
                return TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone);
            default:
                return null;
        }
    }

    public static DateTime Local(DateTime utc, TimeZoneInfo zone) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone);
}
