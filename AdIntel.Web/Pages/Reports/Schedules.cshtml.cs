using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Email;
using AdIntel.Web.Reports.Scheduling;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Reports;

/// <summary>Report e-mails: which report, in which format, how often, to whom. Changing them is a marketer's or owner's job.</summary>
[Authorize(Policy = Policies.Marketer)]
public sealed class SchedulesModel(ScheduledReports schedules, IEmailSender email) : PageModel
{
    public IReadOnlyList<ScheduledReportView> Schedules { get; private set; } = [];
    public bool EmailConfigured => email.IsConfigured;

    [TempData]
    public string? Message { get; set; }

    [BindProperty]
    public ScheduleInput Input { get; set; } = new();

    public string? Error { get; private set; }

    public sealed class ScheduleInput
    {
        public string Report { get; set; } = "summary";
        public string Format { get; set; } = "pdf";
        public string Frequency { get; set; } = ReportFrequency.Weekly;
        public string Recipient { get; set; } = "";
    }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Schedules = await schedules.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostCreateAsync(CancellationToken cancellationToken)
    {
        if (ReportsEndpoints.ValidateSchedule(Input.Report, Input.Format, Input.Frequency, Input.Recipient) is { } problem)
        {
            Error = problem.Message;
        }
        else if (await schedules.CountAsync(cancellationToken) >= ScheduledReports.MaxPerStore)
        {
            Error = $"A store can have at most {ScheduledReports.MaxPerStore} report e-mails; delete one first.";
        }
        if (Error is not null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            Schedules = await schedules.ListAsync(cancellationToken);
            return Page();
        }
        await schedules.CreateAsync(Input.Report.Trim(), Input.Format.Trim().ToLowerInvariant(), Input.Frequency.Trim().ToLowerInvariant(), Input.Recipient,
            User.GetActor(), cancellationToken);
        Message = $"{Input.Recipient.Trim()} will get the report {Input.Frequency.Trim().ToLowerInvariant()}.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteAsync(long id, CancellationToken cancellationToken)
    {
        if (!await schedules.DeleteAsync(id, cancellationToken))
        {
            return NotFound();
        }
        Message = "The report e-mail was stopped.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostSendAsync(long id, CancellationToken cancellationToken)
    {
        if (!await schedules.SendNowAsync(id, cancellationToken))
        {
            return NotFound();
        }
        Message = "The report is being sent now.";
        return RedirectToPage();
    }
}
