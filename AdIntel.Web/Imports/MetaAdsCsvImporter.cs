using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Ingestion;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Imports;

/// <summary>What a Meta ads import did.</summary>
public sealed class MetaAdsImportResult : ImportResult
{
    /// <summary>Distinct days with at least one imported ad row.</summary>
    public int DaysImported { get; set; }
    public int AdsCreated { get; set; }
    public int CampaignsCreated { get; set; }
    public int AdSetsCreated { get; set; }
    public int InsightsCreated { get; set; }
    public int InsightsUpdated { get; set; }
    /// <summary>Ad days already imported with exactly these numbers.</summary>
    public int InsightsUnchanged { get; set; }

    public override bool ChangedData => AdsCreated + CampaignsCreated + AdSetsCreated + InsightsCreated + InsightsUpdated > 0;
}

/// <summary>
/// Imports an Ads Manager table export at ad level with a daily breakdown (one row per ad and day). The file is parsed
/// here into the records <see cref="MetaAdsWriter"/> stores for the Meta sync too.
/// <list type="bullet">
/// <item>Campaigns, ad sets and ads are keyed by their Ads Manager ids; without id columns, by a stable key derived from
/// the names ("name:" + SHA-256 of the normalised campaign → ad set → ad chain), so re-importing matches.</item>
/// <item>Rows without an "Account ID" belong to the store's first ad account, or to a new one, "Imported from CSV".</item>
/// <item>Several rows for one ad and day (a breakdown such as age or placement) are added up; reach is then approximate.</item>
/// <item>Each ad day is upserted: re-importing a file changes nothing, corrected numbers update.</item>
/// <item>A bad row rejects its ad day (all rows of it) with an error on the line; other rows are kept.</item>
/// </list>
/// </summary>
public sealed partial class MetaAdsCsvImporter(AdIntelDbContext db, MetaAdsWriter writer, ILogger<MetaAdsCsvImporter> logger)
{
    private const string FallbackAccountId = "csv-import";
    private const int ProgressEveryRows = 2000;

    public async Task<MetaAdsImportResult> ImportAsync(Stream csv, long totalBytes, string fileName, IImportProgress progress,
        CancellationToken cancellationToken)
    {
        var store = await db.Stores.AsNoTracking().SingleAsync(s => s.Id == db.StoreContext.RequiredStoreId, cancellationToken);
        using var file = CsvImportFile.Open(csv, totalBytes, fileName, out var encodingWarning);
        var columns = Columns.Resolve(file);
        var reading = new Reading(columns);
        if (encodingWarning is not null)
        {
            reading.Warnings.Add(1, encodingWarning);
        }

        while (file.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            reading.ReadRow(file);
            if (file.RowsRead % ProgressEveryRows == 0)
            {
                await progress.ReportAsync(new ImportProgress(file.RowsRead, file.Percent), cancellationToken);
            }
        }
        if (file.StoppedEarly is { } stopped)
        {
            reading.Errors.Add(stopped.Line, stopped.Message);
        }

        var result = new MetaAdsImportResult { RowsRead = file.RowsRead };
        var accepted = reading.AdDays.Where(d => !d.Value.Rejected).ToList();
        result.Skipped = reading.SkippedRows + reading.AdDays.Values.Where(d => d.Rejected).Sum(d => d.Rows);
        result.DaysImported = accepted.Select(d => d.Key.Date).Distinct().Count();
        reading.AddSummaryWarnings(store.Currency, columns.SpendCurrency);

        if (accepted.Count > 0)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var structure = await writer.UpsertStructureAsync(Structure(reading, accepted, columns.SpendCurrency), cancellationToken);
            var insights = await writer.UpsertInsightsAsync(accepted.SelectMany(d => d.Value.Records).ToList(), range: null, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            result.CampaignsCreated = structure.CampaignsCreated;
            result.AdSetsCreated = structure.AdSetsCreated;
            result.AdsCreated = structure.AdsCreated;
            result.InsightsCreated = insights.Created;
            result.InsightsUpdated = insights.Updated;
            result.InsightsUnchanged = insights.Unchanged;
        }
        await progress.ReportAsync(new ImportProgress(file.RowsRead, 100), cancellationToken);

        result.SetMessages(reading.Errors, reading.Warnings);
        logger.LogInformation(
            "Meta ads import: {Rows} rows, {Days} days, {AdsCreated} ads created, {Created} insights created, {Updated} updated, {Skipped} rows skipped",
            result.RowsRead, result.DaysImported, result.AdsCreated, result.InsightsCreated, result.InsightsUpdated, result.Skipped);
        return result;
    }

    /// <summary>The export's columns; -1 for an absent optional one.</summary>
    private sealed record Columns(int Day, int ReportingEnds, string DayHeader, int CampaignName, int CampaignId, int AdSetName, int AdSetId,
        int AdName, int AdId, int AccountId, int AccountName, int Spend, string? SpendCurrency, int Impressions, int Reach, int Frequency,
        int LinkClicks, int Purchases, int PurchaseValue)
    {
        public static Columns Resolve(CsvImportFile file)
        {
            var day = file.Find("Day", "Date");
            var dayHeader = "Day";
            var reportingEnds = -1;
            if (day < 0)
            {
                day = file.Find("Reporting starts");
                reportingEnds = file.Find("Reporting ends");
                dayHeader = "Reporting starts";
            }
            var (spend, currency) = file.FindAll(h => SpendHeader().IsMatch(h))
                .Select(c => (c.Index, Currency: SpendHeader().Match(CsvImportFile.NormaliseHeader(c.Header)).Groups["currency"] is { Success: true } g
                    ? g.Value.ToUpperInvariant() : null))
                .DefaultIfEmpty((-1, null)).First();

            var columns = new Columns(day, reportingEnds, dayHeader,
                CampaignName: file.Find("Campaign name"), CampaignId: file.Find("Campaign ID"),
                AdSetName: file.Find("Ad set name"), AdSetId: file.Find("Ad set ID"),
                AdName: file.Find("Ad name"), AdId: file.Find("Ad ID"),
                AccountId: file.Find("Account ID"), AccountName: file.Find("Account name"),
                Spend: spend, SpendCurrency: currency,
                Impressions: file.Find("Impressions"), Reach: file.Find("Reach"), Frequency: file.Find("Frequency"),
                LinkClicks: file.Find("Link clicks"),
                Purchases: file.Find("Purchases", "Website purchases"),
                PurchaseValue: file.Find("Purchases conversion value", "Website purchases conversion value"));

            var missing = new List<string>();
            if (columns.Day < 0) missing.Add("Day (or Reporting starts)");
            if (columns.Spend < 0) missing.Add("Amount spent");
            if (columns.CampaignName < 0 && columns.CampaignId < 0) missing.Add("Campaign name (or Campaign ID)");
            if (columns.AdSetName < 0 && columns.AdSetId < 0) missing.Add("Ad set name (or Ad set ID)");
            if (columns.AdName < 0 && columns.AdId < 0) missing.Add("Ad name (or Ad ID)");
            if (missing.Count > 0)
            {
                var looksLikeShopify = file.Find("Lineitem name") >= 0;
                var message = looksLikeShopify
                    ? "This looks like a Shopify orders export; upload it as Shopify orders, not as Meta ads."
                    : $"This is not an ad-level Ads Manager export with a daily breakdown: the column{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing.Select(m => $"“{m}”"))} {(missing.Count == 1 ? "is" : "are")} missing. In Ads Manager open the Ads tab, choose Breakdown → By time → Day, then Export table data as CSV.";
                throw new ImportProblemException(422, "missing_columns", message, new { missing, found = file.Headers });
            }
            return columns;
        }
    }

    /// <summary>"amount spent" or "amount spent (usd)", as normalised headers.</summary>
    [GeneratedRegex(@"^amount spent( \((?<currency>[a-z]{3})\))?$")]
    private static partial Regex SpendHeader();

    /// <summary>Spreadsheets turn long ids into 6.21529E+12, losing digits.</summary>
    [GeneratedRegex(@"^\d+(\.\d+)?[eE]\+?\d+$")]
    private static partial Regex ScientificNotation();

    private readonly record struct AdDayKey(string AdKey, DateOnly Date);

    /// <summary>One ad's identity as the file names it.</summary>
    private sealed record AdIdentity(string CampaignKey, string CampaignName, string AdSetKey, string AdSetName, string AdKey, string AdName,
        string? AccountId, string? AccountName);

    /// <summary>An ad's rows for one day (the writer adds them up), or that one of them was bad.</summary>
    private sealed class AdDay
    {
        public int Rows { get; set; }
        public int FirstLine { get; init; }
        public bool Rejected { get; set; }
        public List<IncomingAdInsightDay> Records { get; } = [];
    }

    /// <summary>Everything read from the file, before anything is written.</summary>
    private sealed class Reading(Columns columns)
    {
        public Dictionary<string, AdIdentity> Ads { get; } = new(StringComparer.Ordinal);
        public Dictionary<AdDayKey, AdDay> AdDays { get; } = [];
        public ImportMessageList Errors { get; } = new();
        public ImportMessageList Warnings { get; } = new();
        /// <summary>Rows that could not be tied to an ad day.</summary>
        public int SkippedRows { get; private set; }
        private int _mergedAdDays;
        private int _firstMergedLine;

        public void ReadRow(CsvImportFile file)
        {
            var line = file.Line;
            if (file.RecordProblem is { } problem)
            {
                Skip(line, problem);
                return;
            }
            if (file.RecordNotice is { } notice)
            {
                Warnings.Add(line, notice);
            }
            if (!TryReadIdentity(file, line, out var identity) || !TryReadDay(file, line, out var date))
            {
                return;
            }
            var key = new AdDayKey(identity.AdKey, date);
            if (!AdDays.TryGetValue(key, out var adDay))
            {
                adDay = new AdDay { FirstLine = line };
                AdDays.Add(key, adDay);
            }
            else if (adDay.Rows == 1)
            {
                _mergedAdDays++;
                _firstMergedLine = _firstMergedLine == 0 ? line : _firstMergedLine;
            }
            adDay.Rows++;
            Ads.TryAdd(identity.AdKey, identity);
            if (adDay.Rejected)
            {
                return;
            }
            if (!TryAddMetrics(file, line, identity.AdKey, date, adDay, out var error))
            {
                Errors.Add(line, adDay.Rows == 1 ? error : $"{error} The ad's other rows for {date:yyyy-MM-dd} were not imported either.");
                adDay.Rejected = true;
            }
        }

        private void Skip(int line, string message)
        {
            Errors.Add(line, message);
            SkippedRows++;
        }

        private bool TryReadIdentity(CsvImportFile file, int line, out AdIdentity identity)
        {
            identity = null!;
            var campaignName = file.Get(columns.CampaignName);
            var adSetName = file.Get(columns.AdSetName);
            var adName = file.Get(columns.AdName);
            if (!TryReadId(file, columns.CampaignId, "Campaign ID", line, out var campaignId)
                || !TryReadId(file, columns.AdSetId, "Ad set ID", line, out var adSetId)
                || !TryReadId(file, columns.AdId, "Ad ID", line, out var adId))
            {
                return false;
            }
            if ((campaignName.Length == 0 && campaignId is null) || (adSetName.Length == 0 && adSetId is null) || (adName.Length == 0 && adId is null))
            {
                Skip(line, "The row does not name its campaign, ad set and ad; export at ad level (the Ads tab of Ads Manager).");
                return false;
            }
            var campaignKey = campaignId ?? DerivedKey(Normalise(campaignName));
            var adSetKey = adSetId ?? DerivedKey(campaignKey + "\u001f" + Normalise(adSetName));
            var adKey = adId ?? DerivedKey(adSetKey + "\u001f" + Normalise(adName));
            var accountId = file.Get(columns.AccountId);
            identity = new AdIdentity(campaignKey, campaignName.Length > 0 ? campaignName : campaignKey, adSetKey,
                adSetName.Length > 0 ? adSetName : adSetKey, adKey, adName.Length > 0 ? adName : adKey,
                accountId.Length > 0 ? "act_" + accountId.Replace("act_", "", StringComparison.Ordinal) : null,
                file.Get(columns.AccountName) is { Length: > 0 } accountName ? accountName : null);
            return true;
        }

        private bool TryReadId(CsvImportFile file, int column, string columnName, int line, out string? id)
        {
            id = null;
            var value = file.Get(column);
            if (value.Length == 0)
            {
                return true;
            }
            if (ScientificNotation().IsMatch(value))
            {
                Skip(line, $"{columnName} “{value}” was rounded by a spreadsheet program. Export the file again from Ads Manager and upload it without opening it in a spreadsheet.");
                return false;
            }
            id = value;
            return true;
        }

        private bool TryReadDay(CsvImportFile file, int line, out DateOnly date)
        {
            if (!CsvValues.TryParseDay(file.Get(columns.Day), columns.DayHeader, out date, out var error))
            {
                Skip(line, error!);
                return false;
            }
            if (columns.ReportingEnds < 0 || file.IsEmpty(columns.ReportingEnds))
            {
                return true;
            }
            if (!CsvValues.TryParseDay(file.Get(columns.ReportingEnds), "Reporting ends", out var ends, out error))
            {
                Skip(line, error!);
                return false;
            }
            if (ends == date)
            {
                return true;
            }
            if (AdDays.Count == 0 && SkippedRows == 0)
            {
                // The first row already spans several days: the whole export was made without the daily breakdown.
                throw new ImportProblemException(422, "not_daily_breakdown",
                    $"The file has no daily breakdown: its first row covers {date:yyyy-MM-dd} to {ends:yyyy-MM-dd}. In Ads Manager choose Breakdown → By time → Day before exporting.");
            }
            Skip(line, $"This row covers {date:yyyy-MM-dd} to {ends:yyyy-MM-dd}, not a single day. Export with Breakdown → By time → Day.");
            return false;
        }

        private bool TryAddMetrics(CsvImportFile file, int line, string adKey, DateOnly date, AdDay adDay, out string error)
        {
            error = "";
            if (!Amount(columns.Spend, "Amount spent", out var spend, ref error)
                || !Whole(columns.Impressions, "Impressions", out var impressions, ref error)
                || !Whole(columns.Reach, "Reach", out var reach, ref error)
                || !Whole(columns.LinkClicks, "Link clicks", out var clicks, ref error)
                || !Amount(columns.Purchases, "Purchases", out var purchases, ref error)
                || !Amount(columns.PurchaseValue, "Purchases conversion value", out var value, ref error)
                || !Amount(columns.Frequency, "Frequency", out var frequency, ref error))
            {
                return false;
            }
            adDay.Records.Add(new IncomingAdInsightDay
            {
                AdExternalId = adKey,
                Date = date,
                Spend = spend,
                Impressions = impressions,
                Reach = reach,
                Frequency = file.IsEmpty(columns.Frequency) ? null : frequency,
                LinkClicks = clicks,
                Purchases = purchases,
                PurchaseValue = value,
            });
            return true;

            bool Amount(int column, string name, out decimal amount, ref string message)
            {
                if (!CsvValues.TryParseAmount(file.GetSpan(column), name, out amount, out var problem))
                {
                    message = problem!;
                    return false;
                }
                if (amount < 0)
                {
                    message = $"{name} is negative ({amount}).";
                    return false;
                }
                return true;
            }

            bool Whole(int column, string name, out long number, ref string message)
            {
                if (!CsvValues.TryParseWholeNumber(file.GetSpan(column), name, out number, out var problem))
                {
                    message = problem!;
                    return false;
                }
                if (number < 0)
                {
                    message = $"{name} is negative ({number}).";
                    return false;
                }
                return true;
            }
        }

        public void AddSummaryWarnings(string storeCurrency, string? spendCurrency)
        {
            if (_mergedAdDays > 0)
            {
                Warnings.Add(_firstMergedLine,
                    $"{_mergedAdDays} ad day{(_mergedAdDays == 1 ? " has" : "s have")} several rows (a breakdown such as age or placement); their numbers were added up, so reach and frequency are approximate.");
            }
            if (spendCurrency is not null && !string.Equals(spendCurrency, storeCurrency, StringComparison.Ordinal))
            {
                Warnings.Add(1, $"Spend is in {spendCurrency} while the store reports in {storeCurrency}; amounts were imported without conversion.");
            }
        }
    }

    /// <summary>Lower case, single spaces, no surrounding space: the same name typed the same way matches.</summary>
    private static string Normalise(string name) => CsvImportFile.NormaliseHeader(name.Normalize(NormalizationForm.FormC));

    /// <summary>A stable stand-in for an Ads Manager id when the export has only names.</summary>
    private static string DerivedKey(string chain) =>
        "name:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(chain)))[..24];

    /// <summary>The accounts, campaigns, ad sets and ads of the accepted ad days, as the file names them.</summary>
    private static IncomingAdStructure Structure(Reading reading, List<KeyValuePair<AdDayKey, AdDay>> accepted, string? spendCurrency)
    {
        var identities = accepted.Select(d => d.Key.AdKey).Distinct(StringComparer.Ordinal).Select(k => reading.Ads[k]).ToList();
        return new IncomingAdStructure(
            identities.Where(i => i.AccountId is not null).DistinctBy(i => i.AccountId)
                .Select(i => new IncomingAdAccount(i.AccountId!, i.AccountName, spendCurrency)).ToList(),
            identities.DistinctBy(i => i.CampaignKey).Select(i => new IncomingCampaign(i.CampaignKey, i.AccountId, i.CampaignName, Delivery: null)).ToList(),
            identities.DistinctBy(i => i.AdSetKey).Select(i => new IncomingAdSet(i.AdSetKey, i.CampaignKey, i.AdSetName, Delivery: null)).ToList(),
            identities.Select(i => new IncomingAd(i.AdKey, i.AdSetKey, i.AdName, Delivery: null)).ToList(),
            AccountForUnnamed: new IncomingAdAccount(FallbackAccountId, "Imported from CSV", spendCurrency));
    }
}
