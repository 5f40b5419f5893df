using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Metrics;
using AdIntel.Web.Reports;
using Microsoft.AspNetCore.Authorization;

namespace AdIntel.Web.Pages.Reports;

[Authorize(Policy = Policies.Accountant)]
public sealed class CohortsModel(ReportService reports, MetricsService metrics, StoreClock clock) : ReportPageModel(reports, metrics, clock)
{
    protected override string Report => ReportNames.Cohorts;
}
