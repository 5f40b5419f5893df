using AdIntel.Web.Metrics;
using AdIntel.Web.Reports.Benchmarks;
using AdIntel.Web.Reports.Export;
using AdIntel.Web.Reports.Ltv;
using AdIntel.Web.Reports.Scheduling;

namespace AdIntel.Web.Reports;

public static class ReportsFeature
{
    public static IServiceCollection AddReportsFeature(this IServiceCollection services)
    {
        services.AddSingleton<IReportWriter, CsvReportWriter>();
        services.AddSingleton<IReportWriter, XlsxReportWriter>();
        services.AddSingleton<IReportWriter, PdfReportWriter>();
        services.AddScoped<LedgerCache>();
        services.AddScoped<ReportService>();
        services.AddScoped<CommunityBenchmarks>();
        services.AddScoped<LtvModelService>();
        // Stores without a year of history get the model's LTV on the overview (see LtvCurveProvider).
        services.AddScoped<ILtvPredictor, BtydLtvPredictor>();
        services.AddScoped<ScheduledReports>();
        services.AddScoped<ScheduledReportJob>();
        services.AddHostedService<ScheduledReportRegistration>();
        return services;
    }
}
