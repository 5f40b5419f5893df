using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Reports.Scheduling;
using AdIntel.Web.Tests.Security;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace AdIntel.Web.Tests.Reports;

/// <summary>
/// A scheduled report goes out through the real path: the schedule is registered as a Hangfire recurring job, "send now"
/// runs the same job through Hangfire's queue, which exports the report and sends it with the app's SMTP sender to a
/// fake SMTP server that keeps what it receives.
/// </summary>
[Collection(LocalAppCollection.Name)]
public sealed class ScheduledReportEmailTests(AppFixture fixture)
{
    [Theory, MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Scheduled_report_arrives_by_email_with_its_attachment(string provider)
    {
        var app = await fixture.LocalAsync(provider);
        var storeId = await app.CreateStoreAsync("Books & Co");
        var marketer = await app.CreateTokenClientAsync(storeId, StoreRole.Marketer);
        var recipient = $"books-{Guid.NewGuid():N}@example.com";

        using var created = await marketer.PostAsJsonAsync("/api/reports/schedules", new { report = "summary", format = "pdf", frequency = "monthly", recipient });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("data").GetProperty("id").GetInt64();
        // The schedule is a Hangfire recurring job: the 1st of each month at 07:00 in the store's time zone.
        using (var connection = app.App.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == ScheduledReports.JobId(id));
            Assert.Equal(ReportFrequency.Cron(ReportFrequency.Monthly), job.Cron);
            Assert.Equal("UTC", job.TimeZoneId);
        }
        using var sent = await marketer.PostAsync($"/api/reports/schedules/{id}/send", null);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);

        await Eventually.HoldsAsync(() => Task.FromResult(fixture.Smtp.MessageTo(recipient) is not null), "The report e-mail did not arrive", DescribeAsync, TimeSpan.FromSeconds(90));
        var message = fixture.Smtp.MessageTo(recipient)!;

        Assert.Contains("Profit & loss", message.Subject, StringComparison.Ordinal);
        Assert.Contains("Books & Co", message.Subject, StringComparison.Ordinal);
        var attachment = Assert.Single(message.Attachments.OfType<MimePart>());
        Assert.Equal("application/pdf", attachment.ContentType.MimeType);
        Assert.EndsWith(".pdf", attachment.FileName, StringComparison.Ordinal);
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(content.ToArray());
        var text = string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.Contains("Books & Co", text, StringComparison.Ordinal);
        var period = ReportFrequency.PeriodBefore(ReportFrequency.Monthly, DateOnly.FromDateTime(PinnedDate.UtcNow));
        Assert.Contains(period.From.ToString("MMM d, yyyy", System.Globalization.CultureInfo.InvariantCulture), text, StringComparison.Ordinal);

        // The schedule records the delivery.
        await Eventually.HoldsAsync(async () => (await ScheduleAsync()).LastSentAtUtc is not null, "The schedule did not record the delivery", DescribeAsync);

        Task<ScheduledReport> ScheduleAsync() => app.App.WithDbAsync(storeId, db => db.ScheduledReports.AsNoTracking().SingleAsync(s => s.Id == id));

        async Task<string> DescribeAsync()
        {
            var schedule = await ScheduleAsync();
            return $"Schedule: last sent {schedule.LastSentAtUtc:O}, last error {schedule.LastError}.{Environment.NewLine}{app.App.DescribeJobs()}";
        }
    }

    [Fact]
    public void Periods_are_the_last_complete_week_and_month()
    {
        var wednesday = new DateOnly(2026, 2, 18);
        Assert.Equal(new AdIntel.Web.Metrics.DateRange(new(2026, 2, 9), new(2026, 2, 15)), ReportFrequency.PeriodBefore(ReportFrequency.Weekly, wednesday));
        Assert.Equal(new AdIntel.Web.Metrics.DateRange(new(2026, 1, 1), new(2026, 1, 31)), ReportFrequency.PeriodBefore(ReportFrequency.Monthly, wednesday));
        var monday = new DateOnly(2026, 2, 16);
        Assert.Equal(new AdIntel.Web.Metrics.DateRange(new(2026, 2, 9), new(2026, 2, 15)), ReportFrequency.PeriodBefore(ReportFrequency.Weekly, monday));
    }
}
