using AdIntel.Web.Domain;
using AdIntel.Web.Tracking;

namespace AdIntel.Web.Tests.Tracking;

/// <summary>Each named diagnosis fires on the scenario it names, with its dates and evidence, and a healthy store gets none.</summary>
public sealed class TrackingDiagnosisTests
{
    private static readonly DateOnly Today = new(2026, 11, 20);

    /// <summary>90 days of 20 orders a day, Meta reporting 18 purchases, the pixel and the Conversions API both sending 18 (merged by event_id).</summary>
    private static TrackingEvidence Store(Action<List<DailyStoreFacts>, List<TrackingEventDay>, TrackingDataset>? change = null, bool withDataset = true)
    {
        var facts = Enumerable.Range(1, 90).Select(d => new DailyStoreFacts { Date = Today.AddDays(-d), Orders = 20, PlatformPurchases = 18, AdSpend = 400 })
            .OrderBy(f => f.Date).ToList();
        var days = Enumerable.Range(1, 45).Select(d => new TrackingEventDay { Date = Today.AddDays(-d), EventName = "Purchase", BrowserCount = 18, ServerCount = 18 })
            .OrderBy(d => d.Date).ToList();
        var dataset = new TrackingDataset
        {
            DatasetId = "880000000000001", Name = "Pixel", LastFiredAtUtc = Now.AddHours(-1), MatchQuality = 7.9m,
            MatchKeysJson = """{"email":95,"phone":70,"external_id":90,"fbp":80,"fbc":40}""", BrowserEventIdPercent = 97, ServerEventIdPercent = 99,
            EventCoveragePercent = 100, SyncedAtUtc = Now.AddMinutes(-30),
        };
        change?.Invoke(facts, days, dataset);
        return new TrackingEvidence
        {
            Today = Today, NowUtc = Now, From = Today.AddDays(-60), Facts = facts, DropPercent = 50, MetaConnected = withDataset,
            Dataset = withDataset ? dataset : null, PurchaseDays = withDataset ? days : [],
        };
    }

    private static DateTime Now => Today.ToDateTime(new TimeOnly(9, 0), DateTimeKind.Utc);

    [Fact]
    public void A_healthy_store_has_no_problem_and_automation_runs()
    {
        var evidence = Store();
        var problems = TrackingDiagnosis.Diagnose(evidence);
        Assert.Empty(problems);
        Assert.False(TrackingDiagnosis.Status(evidence, problems).Broken);
        Assert.Empty(TrackingDiagnosis.Diagnose(Store(withDataset: false)));
    }

    [Fact]
    public void Server_purchases_missing_names_the_day_they_stopped()
    {
        var evidence = Store((_, days, _) => days.Where(d => d.Date >= new DateOnly(2026, 11, 12)).ToList().ForEach(d => d.ServerCount = 0));
        var problem = Assert.Single(TrackingDiagnosis.Diagnose(evidence));

        Assert.Equal(("server_purchases_missing", "Server purchases missing since Nov 12"), (problem.Code, problem.Title));
        Assert.Equal(new DateOnly(2026, 11, 12), problem.Since);
        Assert.True(problem.Current);
        Assert.False(problem.BreaksTracking);
        Assert.Contains(problem.Figures, f => f.Label == "Server purchases, 7 days before" && f.Value == 18 * 7);
        Assert.Contains(problem.Figures, f => f.Label == "Shopify orders since" && f.Value == 20 * 8);
    }

    [Fact]
    public void One_missing_server_day_is_not_yet_a_problem()
    {
        var evidence = Store((_, days, _) => days.Single(d => d.Date == Today.AddDays(-1)).ServerCount = 0);
        Assert.Empty(TrackingDiagnosis.Diagnose(evidence));
    }

    [Fact]
    public void No_purchases_from_either_source_breaks_tracking_and_holds_automation()
    {
        var evidence = Store((_, days, _) => days.RemoveAll(d => d.Date >= Today.AddDays(-2)));
        var problems = TrackingDiagnosis.Diagnose(evidence);
        var problem = Assert.Single(problems);

        Assert.Equal(("events_not_received", "No purchases received since Nov 18"), (problem.Code, problem.Title));
        Assert.True(problem.BreaksTracking);
        Assert.Equal(AlertSeverities.Critical, problem.Severity);
        var status = TrackingDiagnosis.Status(evidence, problems);
        Assert.True(status.Broken);
        Assert.Contains("No purchases received since Nov 18", status.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unavailable_pixel_breaks_tracking()
    {
        var problem = Assert.Single(TrackingDiagnosis.Diagnose(Store((_, _, dataset) => dataset.IsUnavailable = true)));
        Assert.Equal(("events_not_received", "Pixel unavailable", true), (problem.Code, problem.Title, problem.BreaksTracking));
    }

    [Fact]
    public void A_coverage_drop_names_its_share_and_days()
    {
        var evidence = Store((facts, _, _) => facts.Where(f => f.Date >= Today.AddDays(-3)).ToList().ForEach(f => f.PlatformPurchases = 8),
            withDataset: false);
        var problems = TrackingDiagnosis.Diagnose(evidence);
        var problem = Assert.Single(problems);

        Assert.Equal(("coverage_drop", "Coverage 40 % for 3 days"), (problem.Code, problem.Title));
        Assert.Equal((Today.AddDays(-3), Today.AddDays(-1)), (problem.Since!.Value, problem.Until!.Value));
        Assert.Contains(problem.Figures, f => f.Label == "Usual coverage" && f.Value == 90m);
        Assert.True(TrackingDiagnosis.Status(evidence, problems).Broken);
    }

    [Fact]
    public void A_past_outage_is_listed_as_a_past_incident_without_holding_automation()
    {
        var evidence = Store((facts, _, _) => facts.Where(f => f.Date >= Today.AddDays(-30) && f.Date <= Today.AddDays(-28)).ToList().ForEach(f => f.PlatformPurchases = 1),
            withDataset: false);
        var problems = TrackingDiagnosis.Diagnose(evidence);
        var problem = Assert.Single(problems);

        Assert.Equal(("coverage_drop", false, Today.AddDays(-30)), (problem.Code, problem.Current, problem.Since!.Value));
        Assert.False(TrackingDiagnosis.Status(evidence, problems).Broken);
    }

    [Fact]
    public void Low_match_quality_names_the_keys_to_add()
    {
        var problem = Assert.Single(TrackingDiagnosis.Diagnose(Store((_, _, dataset) =>
        {
            dataset.MatchQuality = 4.1m;
            dataset.MatchKeysJson = """{"email":92,"phone":12,"external_id":3,"fbp":80,"fbc":60,"client_ip_address":99,"client_user_agent":99}""";
        })));
        Assert.Equal(("low_match_quality", "EMQ 4.1: add phone and external_id"), (problem.Code, problem.Title));
        Assert.Contains(problem.Figures, f => f.Label == "Purchases with phone" && f.Value == 12);
    }

    [Fact]
    public void Server_purchases_without_event_id_are_counted_twice()
    {
        var problem = Assert.Single(TrackingDiagnosis.Diagnose(Store((_, _, dataset) => dataset.ServerEventIdPercent = 0)));
        Assert.Equal(("missing_event_id", "Purchases counted twice: 0 % of server events carry an event_id"), (problem.Code, problem.Title));
    }

    [Fact]
    public void A_pixel_without_conversions_api_is_told_to_set_it_up()
    {
        var problems = TrackingDiagnosis.Diagnose(Store((_, days, _) => days.ForEach(d => d.ServerCount = 0)));
        Assert.Equal(["no_conversions_api"], problems.Select(p => p.Code));
    }

    [Fact]
    public void Stale_dataset_figures_are_flagged()
    {
        var problem = Assert.Single(TrackingDiagnosis.Diagnose(Store((_, _, dataset) => dataset.SyncedAtUtc = Now.AddHours(-60))));
        Assert.Equal(("stale_dataset_sync", "Dataset figures are 60 hours old"), (problem.Code, problem.Title));
    }
}
