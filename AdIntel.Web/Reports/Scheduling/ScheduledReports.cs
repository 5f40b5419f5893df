using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Jobs;
using AdIntel.Web.Metrics;
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Reports.Scheduling;

/// <summary>When a schedule sends and which days its report covers.</summary>
public static class ReportFrequency
{
    public const string Weekly = "weekly";
    public const string Monthly = "monthly";

    public static IReadOnlyList<string> All { get; } = [Weekly, Monthly];

    /// <summary>Mondays at 07:00 for weekly, the 1st at 07:00 for monthly, in the store's time zone.</summary>
    public static string Cron(string frequency) => frequency == Weekly ? "0 7 * * 1" : "0 7 1 * *";

    /// <summary>The last complete Monday–Sunday week, or the last complete calendar month, before <paramref name="today"/>.</summary>
    public static DateRange PeriodBefore(string frequency, DateOnly today)
    {
        if (frequency == Weekly)
        {
            var daysSinceMonday = ((int)today.DayOfWeek + 6) % 7;
            var thisMonday = today.AddDays(-daysSinceMonday);
            return new DateRange(thisMonday.AddDays(-7), thisMonday.AddDays(-1));
        }
        var monthStart = new DateOnly(today.Year, today.Month, 1);
        return new DateRange(monthStart.AddMonths(-1), monthStart.AddDays(-1));
    }
}

/// <summary>A schedule as the API and the page show it.</summary>
public sealed record ScheduledReportView(long Id, string Report, string Format, string Frequency, string Recipient, string CreatedBy,
    DateTime CreatedAtUtc, DateTime? LastSentAtUtc, string? LastError);

/// <summary>The current store's report e-mails: stored rows, each with its Hangfire recurring job.</summary>
public sealed class ScheduledReports(AdIntelDbContext db, IRecurringJobManager jobs, IBackgroundJobClient backgroundJobs, StoreClock clock, IAuditLog audit,
    TimeProvider time)
{
    public const int MaxPerStore = 20;

    public static string JobId(long scheduleId) => $"reports:schedule-{scheduleId}";

    public async Task<IReadOnlyList<ScheduledReportView>> ListAsync(CancellationToken cancellationToken) =>
        (await db.ScheduledReports.AsNoTracking().OrderBy(s => s.Id).ToListAsync(cancellationToken)).Select(View).ToList();

    public async Task<ScheduledReportView> CreateAsync(string report, string format, string frequency, string recipient, string actor,
        CancellationToken cancellationToken)
    {
        var schedule = new ScheduledReport
        {
            Report = report, Format = format, Frequency = frequency, Recipient = recipient.Trim(), CreatedBy = actor,
            CreatedAtUtc = time.GetUtcNow().UtcDateTime,
        };
        db.ScheduledReports.Add(schedule);
        await db.SaveChangesAsync(cancellationToken);
        audit.Record(new AuditChange("reports.schedule_created", nameof(ScheduledReport), schedule.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"{ReportNames.Title(report)} ({format}) e-mailed {frequency} to {schedule.Recipient}", After: View(schedule)));
        await db.SaveChangesAsync(cancellationToken);
        Register(schedule, (await clock.GetCalendarAsync(cancellationToken)).TimeZone);
        return View(schedule);
    }

    public Task<int> CountAsync(CancellationToken cancellationToken) => db.ScheduledReports.CountAsync(cancellationToken);

    /// <summary>False when the schedule does not exist in this store.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        var schedule = await db.ScheduledReports.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (schedule is null)
        {
            return false;
        }
        db.ScheduledReports.Remove(schedule);
        audit.Record(new AuditChange("reports.schedule_deleted", nameof(ScheduledReport), id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            $"Stopped e-mailing {ReportNames.Title(schedule.Report)} to {schedule.Recipient}", Before: View(schedule)));
        await db.SaveChangesAsync(cancellationToken);
        jobs.RemoveIfExists(JobId(id));
        return true;
    }

    /// <summary>Runs the schedule's job now (in the background, like its regular runs); false when it does not exist in this store.</summary>
    public async Task<bool> SendNowAsync(long id, CancellationToken cancellationToken)
    {
        var schedule = await db.ScheduledReports.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (schedule is null)
        {
            return false;
        }
        // The same job as the schedule's regular runs, enqueued once now (it keeps its retries).
        backgroundJobs.Create<ScheduledReportJob>(job => job.SendAsync(schedule.StoreId, schedule.Id, CancellationToken.None), new EnqueuedState(JobQueues.Critical));
        return true;
    }

    public void Register(ScheduledReport schedule, TimeZoneInfo timeZone) => Wanted(schedule, timeZone).Register(jobs);

    /// <summary>The schedule's recurring job.</summary>
    internal static WantedRecurringJob Wanted(ScheduledReport schedule, TimeZoneInfo timeZone)
    {
        var (storeId, scheduleId, cron) = (schedule.StoreId, schedule.Id, ReportFrequency.Cron(schedule.Frequency));
        return new(JobId(scheduleId), cron, timeZone, recurring => recurring.AddOrUpdate<ScheduledReportJob>(JobId(scheduleId),
            job => job.SendAsync(storeId, scheduleId, CancellationToken.None), cron, new RecurringJobOptions { TimeZone = timeZone }));
    }

    public static ScheduledReportView View(ScheduledReport s) =>
        new(s.Id, s.Report, s.Format, s.Frequency, s.Recipient, s.CreatedBy, s.CreatedAtUtc, s.LastSentAtUtc, s.LastError);
}

/// <summary>
/// Registers every store's report schedules with Hangfire once the app has started (in-memory job storage starts empty;
/// PostgreSQL storage keeps them, so only missing or changed ones are registered).
/// </summary>
internal sealed class ScheduledReportRegistration(IServiceScopeFactory scopes, JobStorage storage, IRecurringJobManager recurring,
    ILogger<ScheduledReportRegistration> logger) : StoreJobsStartup(scopes, storage, recurring, logger)
{
    protected override string Jobs => "scheduled report e-mails";

    protected override async Task<List<WantedRecurringJob>> WantedAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<AdIntelDbContext>();
        var schedules = await db.ScheduledReports.IgnoreQueryFilters().AsNoTracking().ToListAsync(cancellationToken);
        var zones = await db.Stores.AsNoTracking().Select(s => new { s.Id, s.TimeZone }).ToDictionaryAsync(s => s.Id, s => s.TimeZone, cancellationToken);
        return schedules.Select(s => ScheduledReports.Wanted(s, StoreClock.ResolveTimeZone(zones.GetValueOrDefault(s.StoreId, "UTC")))).ToList();
    }
}
