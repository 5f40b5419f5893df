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
        // The predicted-LTV page and its downloads read a stored fit, refitted in a job after every data change.
        services.AddScoped<LtvFits>();
        services.AddTransient<LtvFitJob>();
        services.AddSingleton<IFactsRebuiltObserver, LtvFitAfterFactsRebuild>();
        // Stores without a year of history get the model's LTV on the overview (see LtvCurveProvider).
        services.AddScoped<ILtvPredictor, BtydLtvPredictor>();
        services.AddScoped<ScheduledReports>();
        services.AddScoped<ScheduledReportJob>();
        services.AddHostedService<ScheduledReportRegistration>();
        return services;
    }
}
