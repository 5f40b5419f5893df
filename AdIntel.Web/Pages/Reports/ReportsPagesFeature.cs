namespace AdIntel.Web.Pages.Reports;

/// <summary>The report screens and <c>/api/reports</c>; the reports themselves are the Reports engine's.</summary>
public static class ReportsPagesFeature
{
    public static void MapReportsPages(this RouteGroupBuilder api) => api.MapReportsEndpoints();
}
