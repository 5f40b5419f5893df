using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Htmx;
using AdIntel.Web.Tracking;
using AdIntel.Web.Integrations.Meta.Capi;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Tracking;

/// <summary>
/// Tracking health: Pixel and Conversions API cards, the daily purchase coverage chart, the diagnosis with its
/// evidence, recommendations, and a form that sends a test Purchase (with htmx only its answer is swapped in).
/// </summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class IndexModel(TrackingReportBuilder builder, TestEventSender sender) : PageModel
{
    public TrackingReport Report { get; private set; } = null!;

    public IReadOnlyList<TrackingRecommendation> Recommendations { get; private set; } = [];

    public TestEventResult? TestResult { get; private set; }

    public bool CanSendTest => User.GetStoreRole() >= StoreRole.Marketer;

    [BindProperty]
    public string? TestEventCode { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    public async Task<IActionResult> OnPostTestEventAsync(CancellationToken cancellationToken)
    {
        if (!CanSendTest)
        {
            return Forbid();
        }
        var code = string.IsNullOrWhiteSpace(TestEventCode) ? null : TestEventCode.Trim();
        TestResult = await sender.SendAsync(code, new TestCustomer(), cancellationToken);
        if (Request.IsHtmxFragmentRequest())
        {
            return Partial("_TestEventResult", TestResult);
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Report = await builder.BuildAsync(TrackingMonitor.DefaultDays, cancellationToken);
        Recommendations = TrackingRecommendations.From(Report);
        TestEventCode ??= Report.Dataset?.TestEventCode;
    }
}
