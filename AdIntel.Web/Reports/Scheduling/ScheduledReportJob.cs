using System.Globalization;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Email;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Metrics;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Reports.Scheduling;

/// <summary>
/// Sends one schedule's report: the last complete week or month in the store's time zone, exported in the chosen format
/// and attached to a short e-mail. A missing SMTP configuration is recorded on the schedule (nothing to retry); a failing
/// SMTP server makes the job fail, so Hangfire retries it.
/// </summary>
public sealed class ScheduledReportJob(IServiceScopeFactory scopes, TimeProvider time, ILogger<ScheduledReportJob> logger)
{
    [AutomaticRetry(Attempts = 3)]
    public async Task SendAsync(long storeId, long scheduleId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateStoreScope(storeId);
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AdIntelDbContext>();
        var schedule = await db.ScheduledReports.FirstOrDefaultAsync(s => s.Id == scheduleId, cancellationToken);
        if (schedule is null)
        {
            services.GetRequiredService<IRecurringJobManager>().RemoveIfExists(ScheduledReports.JobId(scheduleId));
            return;
        }
        var email = services.GetRequiredService<IEmailSender>();
        if (!email.IsConfigured)
        {
            schedule.LastError = "No SMTP server is configured (Smtp:Host), so the report could not be e-mailed.";
            await db.SaveChangesAsync(cancellationToken);
            logger.LogWarning("Scheduled report {ScheduleId} of store {StoreId} not sent: no SMTP server configured", scheduleId, storeId);
            return;
        }

        var today = await services.GetRequiredService<StoreClock>().GetTodayAsync(cancellationToken);
        var period = ReportFrequency.PeriodBefore(schedule.Frequency, today);
        var query = new ReportQuery(schedule.Report, period, "custom",
            schedule.Frequency == ReportFrequency.Weekly ? Granularity.Week : Granularity.Month);
        ExportFile file;
        try
        {
            file = await services.GetRequiredService<ReportService>().ExportAsync(query, schedule.Format, cancellationToken);
        }
        catch (ReportUnavailableException ex)
        {
            schedule.LastError = ex.Message;
            await db.SaveChangesAsync(cancellationToken);
            return;
        }
        var storeName = await db.Stores.AsNoTracking().Where(s => s.Id == storeId).Select(s => s.Name).SingleAsync(cancellationToken);
        var range = string.Create(CultureInfo.InvariantCulture, $"{period.From:MMM d, yyyy} – {period.To:MMM d, yyyy}");
        var message = new EmailMessage(schedule.Recipient, $"{ReportNames.Title(schedule.Report)} · {storeName} · {range}",
            $"""
            Your {schedule.Frequency} {ReportNames.Title(schedule.Report).ToLowerInvariant()} report for {storeName} is attached ({range}).

            It carries the same figures as the Reports screen in AdIntel for those dates.
            You receive it because {schedule.CreatedBy} scheduled it; a marketer or owner of the store can stop it under Reports → Schedules.
            """,
            [new EmailAttachment(file.FileName, file.ContentType, file.Content)]);
        try
        {
            await email.SendAsync(message, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var reason = "Sending failed: " + ex.Message;
            schedule.LastError = reason.Length > 1000 ? reason[..1000] : reason;
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        schedule.LastSentAtUtc = time.GetUtcNow().UtcDateTime;
        schedule.LastError = null;
        await db.SaveChangesAsync(cancellationToken);
    }
}
