using System.Diagnostics;
using AdIntel.Web.Domain;
using AdIntel.Web.Rules.Definitions;
using AdIntel.Web.Rules.Expressions;
using Npgsql;
using NpgsqlTypes;

namespace AdIntel.ScaleBench;

/// <summary>
/// Fills a migrated AdIntel database with many small stores through the app's own tables: per store an ad account,
/// 3 campaigns × 2 ad sets × 2 ads, 90 days of delivery per ad ending today, store settings and five product presets
/// as active rules every 15 minutes. One binary COPY per table for all stores (ids assigned here, sequences moved
/// past them), so 10,000 stores take minutes, not the hours 10,000 × 8 tables of per-store writes would.
/// </summary>
internal sealed class StoreGenerator(string connectionString, int stores, DateTime now)
{
    public const int Days = 90;
    public const int CampaignsPerStore = 3;
    public const int AdSetsPerCampaign = 2;
    public const int AdsPerAdSet = 2;
    public const int AdsPerStore = CampaignsPerStore * AdSetsPerCampaign * AdsPerAdSet;

    /// <summary>
    /// Five presets of the gallery a merchant starts from, across scopes and actions, every 15 minutes (the finest
    /// schedule, so each is due in every slot). Presets needing order facts (POAS, new-customer ROAS) are left out:
    /// these stores have delivery only.
    /// </summary>
    public static readonly string[] PresetKeys = ["stop-loss", "cpa-guard", "roas-floor", "low-ctr", "zero-purchase-guard"];

    private static readonly string[] TimeZones = ["America/New_York", "America/Los_Angeles", "Europe/London", "Europe/Berlin", "Australia/Sydney", "UTC"];

    private readonly Random _random = new(17);

    public async Task GenerateAsync(Action<string> log)
    {
        var today = DateOnly.FromDateTime(now);
        var firstDay = today.AddDays(-Days + 1);
        var storeCreated = now.AddDays(-120);
        var rules = PresetKeys.Select(k => RulePresets.Find(k) ?? throw new InvalidOperationException($"No preset {k}"))
            .Select(p => p.Rule with { Schedule = new RuleSchedule { EveryMinutes = 15 } })
            .ToList();
        foreach (var rule in rules)
        {
            // The compiler the runner uses: an invalid preset fails here, not in 10,000 jobs.
            RuleExpressionCompiler.Default.CompileCondition(rule.Expression!);
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        await CopyAsync(connection, log, "Stores", """ "Id", "Name", "ShopDomain", "Currency", "TimeZone", "IsDemo", "CreatedAtUtc" """, w =>
        {
            for (long s = 1; s <= stores; s++)
            {
                w.StartRow();
                w.Write(s, NpgsqlDbType.Bigint);
                w.Write($"Scale store {s}", NpgsqlDbType.Varchar);
                w.Write($"scale-{s}.myshopify.com", NpgsqlDbType.Varchar);
                w.Write("USD", NpgsqlDbType.Varchar);
                w.Write(TimeZones[s % TimeZones.Length], NpgsqlDbType.Varchar);
                w.Write(false, NpgsqlDbType.Boolean);
                w.Write(storeCreated, NpgsqlDbType.TimestampTz);
            }
        });
        await CopyAsync(connection, log, "StoreSettings",
            """ "Id", "StoreId", "PaymentFeePercent", "PaymentFeeFixed", "ShippingCostPerOrder", "OtherMarketingCostPerMonth", "AutomationMode", "AutomationPaused", "TrackingBreakerDisabled", "CommunityBenchmarks", "UpdatedAtUtc" """,
            w =>
            {
                for (long s = 1; s <= stores; s++)
                {
                    w.StartRow();
                    w.Write(s, NpgsqlDbType.Bigint);
                    w.Write(s, NpgsqlDbType.Bigint);
                    w.Write(2.9m, NpgsqlDbType.Numeric);
                    w.Write(0.30m, NpgsqlDbType.Numeric);
                    w.Write(5m, NpgsqlDbType.Numeric);
                    w.Write(0m, NpgsqlDbType.Numeric);
                    // Most merchants keep suggestions only; some let low-risk actions run on their own.
                    w.Write(s % 3 == 0 ? AutomationModes.AutoLowRisk : AutomationModes.SuggestionsOnly, NpgsqlDbType.Text);
                    w.Write(false, NpgsqlDbType.Boolean);
                    w.Write(false, NpgsqlDbType.Boolean);
                    w.Write(false, NpgsqlDbType.Boolean);
                    w.Write(storeCreated, NpgsqlDbType.TimestampTz);
                }
            });
        await CopyAsync(connection, log, "AdAccounts", """ "Id", "StoreId", "Platform", "ExternalId", "Name", "Currency" """, w =>
        {
            for (long s = 1; s <= stores; s++)
            {
                w.StartRow();
                w.Write(s, NpgsqlDbType.Bigint);
                w.Write(s, NpgsqlDbType.Bigint);
                w.Write("meta", NpgsqlDbType.Text);
                w.Write($"act_{s}", NpgsqlDbType.Text);
                w.Write($"Store {s} ads", NpgsqlDbType.Text);
                w.Write("USD", NpgsqlDbType.Text);
            }
        });
        await CopyAsync(connection, log, "Campaigns",
            """ "Id", "StoreId", "AdAccountId", "ExternalId", "Name", "Status", "Objective", "DailyBudget", "StartDate", "UpdatedAtUtc", "Automation" """,
            w =>
            {
                for (long s = 1; s <= stores; s++)
                {
                    for (var c = 0; c < CampaignsPerStore; c++)
                    {
                        w.StartRow();
                        w.Write(CampaignId(s, c), NpgsqlDbType.Bigint);
                        w.Write(s, NpgsqlDbType.Bigint);
                        w.Write(s, NpgsqlDbType.Bigint);
                        w.Write($"c{CampaignId(s, c)}", NpgsqlDbType.Text);
                        w.Write($"Campaign {c + 1}", NpgsqlDbType.Text);
                        w.Write(EntityStatus.Active, NpgsqlDbType.Text);
                        w.Write("OUTCOME_SALES", NpgsqlDbType.Text);
                        // The first campaign has a campaign budget (CBO); the others budget their ad sets.
                        WriteNullable(w, c == 0 ? 100m + _random.Next(400) : null, NpgsqlDbType.Numeric);
                        w.Write(firstDay.AddDays(-30), NpgsqlDbType.Date);
                        w.Write(storeCreated, NpgsqlDbType.TimestampTz);
                        w.Write("inherit", NpgsqlDbType.Varchar);
                    }
                }
            });
        await CopyAsync(connection, log, "AdSets",
            """ "Id", "StoreId", "CampaignId", "ExternalId", "Name", "Status", "DailyBudget", "StartDate", "UpdatedAtUtc" """, w =>
            {
                for (long s = 1; s <= stores; s++)
                {
                    for (var c = 0; c < CampaignsPerStore; c++)
                    {
                        for (var a = 0; a < AdSetsPerCampaign; a++)
                        {
                            var id = AdSetId(s, c, a);
                            w.StartRow();
                            w.Write(id, NpgsqlDbType.Bigint);
                            w.Write(s, NpgsqlDbType.Bigint);
                            w.Write(CampaignId(s, c), NpgsqlDbType.Bigint);
                            w.Write($"s{id}", NpgsqlDbType.Text);
                            w.Write($"Ad set {c + 1}.{a + 1}", NpgsqlDbType.Text);
                            w.Write(EntityStatus.Active, NpgsqlDbType.Text);
                            WriteNullable(w, c == 0 ? null : 20m + _random.Next(130), NpgsqlDbType.Numeric);
                            w.Write(firstDay.AddDays(-_random.Next(30)), NpgsqlDbType.Date);
                            w.Write(storeCreated, NpgsqlDbType.TimestampTz);
                        }
                    }
                }
            });
        await CopyAsync(connection, log, "Ads",
            """ "Id", "StoreId", "AdSetId", "CampaignId", "ExternalId", "Name", "Status", "CreativeType", "StartDate", "UpdatedAtUtc" """, w =>
            {
                for (long s = 1; s <= stores; s++)
                {
                    for (var c = 0; c < CampaignsPerStore; c++)
                    {
                        for (var a = 0; a < AdSetsPerCampaign; a++)
                        {
                            for (var d = 0; d < AdsPerAdSet; d++)
                            {
                                var id = AdId(s, c, a, d);
                                w.StartRow();
                                w.Write(id, NpgsqlDbType.Bigint);
                                w.Write(s, NpgsqlDbType.Bigint);
                                w.Write(AdSetId(s, c, a), NpgsqlDbType.Bigint);
                                w.Write(CampaignId(s, c), NpgsqlDbType.Bigint);
                                w.Write($"a{id}", NpgsqlDbType.Text);
                                w.Write($"Ad {c + 1}.{a + 1}.{d + 1}", NpgsqlDbType.Text);
                                w.Write(EntityStatus.Active, NpgsqlDbType.Text);
                                w.Write(d == 0 ? "image" : "video", NpgsqlDbType.Text);
                                w.Write(firstDay.AddDays(-_random.Next(30)), NpgsqlDbType.Date);
                                w.Write(storeCreated, NpgsqlDbType.TimestampTz);
                            }
                        }
                    }
                }
            });
        // In chunks of 1,000 stores: each COPY's foreign-key checks run at its end, so chunks keep that queue small.
        long insightId = 0;
        for (long from = 1; from <= stores; from += 1_000)
        {
            var to = Math.Min(stores, from + 999);
            await CopyAsync(connection, log, "AdInsights",
                """ "Id", "StoreId", "AdId", "Date", "Impressions", "Reach", "Frequency", "LinkClicks", "Spend", "Purchases", "PurchaseValue" """,
                w =>
                {
                    for (var s = from; s <= to; s++)
                    {
                        for (long ad = (s - 1) * AdsPerStore + 1; ad <= s * AdsPerStore; ad++)
                        {
                            // Each ad has its own scale, click-through and conversion rate; days vary around them. A few ads
                            // click badly or never convert, so the presets find something in some stores.
                            var scale = 5 + _random.NextDouble() * 60;
                            var ctr = _random.Next(10) == 0 ? 0.002 + _random.NextDouble() * 0.003 : 0.006 + _random.NextDouble() * 0.02;
                            var conversion = _random.Next(8) == 0 ? 0 : 0.005 + _random.NextDouble() * 0.04;
                            for (var day = 0; day < Days; day++)
                            {
                                var spend = Math.Round((decimal)(scale * (0.5 + _random.NextDouble())), 2);
                                var impressions = (long)(spend * (60 + _random.Next(60)));
                                var reach = impressions * (55 + _random.Next(30)) / 100;
                                var clicks = (long)(impressions * ctr * (0.6 + _random.NextDouble() * 0.8));
                                var purchases = Math.Round((decimal)(clicks * conversion * (0.5 + _random.NextDouble())));
                                w.StartRow();
                                w.Write(++insightId, NpgsqlDbType.Bigint);
                                w.Write(s, NpgsqlDbType.Bigint);
                                w.Write(ad, NpgsqlDbType.Bigint);
                                w.Write(firstDay.AddDays(day), NpgsqlDbType.Date);
                                w.Write(impressions, NpgsqlDbType.Bigint);
                                w.Write(reach, NpgsqlDbType.Bigint);
                                w.Write(reach == 0 ? 0m : Math.Round((decimal)impressions / reach, 4), NpgsqlDbType.Numeric);
                                w.Write(clicks, NpgsqlDbType.Bigint);
                                w.Write(spend, NpgsqlDbType.Numeric);
                                w.Write(purchases, NpgsqlDbType.Numeric);
                                w.Write(purchases * (25 + _random.Next(70)), NpgsqlDbType.Numeric);
                            }
                        }
                    }
                });
        }
        var ruleRows = rules.Select(definition =>
        {
            var rule = new Rule { Name = "", Expression = "", CreatedAtUtc = now.AddDays(-1), UpdatedAtUtc = now.AddDays(-1) };
            definition.ApplyTo(rule);
            return rule;
        }).ToList();
        await CopyAsync(connection, log, "Rules",
            """ "Id", "StoreId", "Name", "Description", "Scope", "FilterJson", "Kind", "Expression", "ParametersJson", "ActionsJson", "RiskLevel", "AutomationMode", "ScheduleJson", "Active", "Version", "CreatedAtUtc", "UpdatedAtUtc" """,
            w =>
            {
                long id = 0;
                for (long s = 1; s <= stores; s++)
                {
                    foreach (var rule in ruleRows)
                    {
                        w.StartRow();
                        w.Write(++id, NpgsqlDbType.Bigint);
                        w.Write(s, NpgsqlDbType.Bigint);
                        w.Write(rule.Name, NpgsqlDbType.Text);
                        WriteNullable(w, rule.Description, NpgsqlDbType.Text);
                        w.Write(rule.Scope, NpgsqlDbType.Text);
                        w.Write(rule.FilterJson, NpgsqlDbType.Text);
                        w.Write(rule.Kind, NpgsqlDbType.Text);
                        w.Write(rule.Expression, NpgsqlDbType.Text);
                        w.Write(rule.ParametersJson, NpgsqlDbType.Text);
                        w.Write(rule.ActionsJson, NpgsqlDbType.Text);
                        w.Write(rule.RiskLevel, NpgsqlDbType.Text);
                        w.Write(rule.AutomationMode, NpgsqlDbType.Text);
                        w.Write(rule.ScheduleJson, NpgsqlDbType.Text);
                        w.Write(true, NpgsqlDbType.Boolean);
                        w.Write(1, NpgsqlDbType.Integer);
                        w.Write(rule.CreatedAtUtc, NpgsqlDbType.TimestampTz);
                        w.Write(rule.UpdatedAtUtc, NpgsqlDbType.TimestampTz);
                    }
                }
            });

        var analyze = Stopwatch.StartNew();
        foreach (var table in new[] { "Stores", "StoreSettings", "AdAccounts", "Campaigns", "AdSets", "Ads", "AdInsights", "Rules" })
        {
            // Explicit ids: move each identity past them, as BulkWriter does, so the app's own inserts continue after.
            await ExecuteAsync(connection, $"""SELECT setval(pg_get_serial_sequence('"{table}"', 'Id'), (SELECT MAX("Id") FROM "{table}"))""");
        }
        await ExecuteAsync(connection, "VACUUM ANALYZE");
        log($"  sequences + VACUUM ANALYZE: {analyze.Elapsed.TotalSeconds:F1} s");
    }

    private static long CampaignId(long store, int campaign) => (store - 1) * CampaignsPerStore + campaign + 1;

    private static long AdSetId(long store, int campaign, int adSet) => (CampaignId(store, campaign) - 1) * AdSetsPerCampaign + adSet + 1;

    private static long AdId(long store, int campaign, int adSet, int ad) => (AdSetId(store, campaign, adSet) - 1) * AdsPerAdSet + ad + 1;

    private static void WriteNullable(NpgsqlBinaryImporter writer, decimal? value, NpgsqlDbType type)
    {
        if (value is { } present)
        {
            writer.Write(present, type);
        }
        else
        {
            writer.WriteNull();
        }
    }

    private static void WriteNullable(NpgsqlBinaryImporter writer, string? value, NpgsqlDbType type)
    {
        if (value is null)
        {
            writer.WriteNull();
        }
        else
        {
            writer.Write(value, type);
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, Action<string> log, string table, string columns, Action<NpgsqlBinaryImporter> write)
    {
        var watch = Stopwatch.StartNew();
        ulong rows;
        await using (var writer = connection.BeginBinaryImport($"""COPY "{table}" ({columns.Trim()}) FROM STDIN (FORMAT BINARY)"""))
        {
            writer.Timeout = TimeSpan.FromHours(1);
            // Synchronous writes: COPY buffers rows and flushes per 8 KB, an await per value would cost more than the value.
            write(writer);
            rows = writer.Complete();
        }
        log($"  {table}: {rows:N0} rows in {watch.Elapsed.TotalSeconds:F1} s ({rows / Math.Max(0.001, watch.Elapsed.TotalSeconds):N0} rows/s)");
    }

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}
