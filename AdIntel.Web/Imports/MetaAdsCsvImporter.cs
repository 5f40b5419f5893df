using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
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
/// Imports an Ads Manager table export at ad level with a daily breakdown (one row per ad and day).
/// <list type="bullet">
/// <item>Campaigns, ad sets and ads are keyed by their Ads Manager ids; without id columns, by a stable key derived from
/// the names ("name:" + SHA-256 of the normalised campaign → ad set → ad chain), so re-importing matches.</item>
/// <item>Several rows for one ad and day (a breakdown such as age or placement) are added up; reach is then approximate.</item>
/// <item>Each ad day is upserted: re-importing a file changes nothing, corrected numbers update.</item>
/// <item>A bad row rejects its ad day (all rows of it) with an error on the line; other rows are kept.</item>
/// </list>
/// </summary>
public sealed partial class MetaAdsCsvImporter(AdIntelDbContext db, TimeProvider time, ILogger<MetaAdsCsvImporter> logger)
{
    private const string Platform = "meta";
    private const string FallbackAccountId = "csv-import";
    private const int ProgressEveryRows = 2000;
    private const int QueryChunk = 500;

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
            var adIds = await SaveEntitiesAsync(reading, accepted, columns.SpendCurrency ?? store.Currency, result, cancellationToken);
            await SaveInsightsAsync(accepted, adIds, result, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
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

    /// <summary>The sum of an ad's rows for one day.</summary>
    private sealed class AdDay
    {
        public int Rows { get; set; }
        public int FirstLine { get; init; }
        public bool Rejected { get; set; }
        public decimal Spend { get; set; }
        public long Impressions { get; set; }
        public long Reach { get; set; }
        public decimal? Frequency { get; set; }
        public long LinkClicks { get; set; }
        public decimal Purchases { get; set; }
        public decimal PurchaseValue { get; set; }

        /// <summary>Meta's own frequency for a single row; impressions / reach when rows were added up.</summary>
        public decimal EffectiveFrequency => Rows == 1 && Frequency is { } given
            ? Math.Round(given, 4)
            : Reach == 0 ? 0 : Math.Round((decimal)Impressions / Reach, 4);
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
            if (!TryAddMetrics(file, line, adDay, out var error))
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

        private bool TryAddMetrics(CsvImportFile file, int line, AdDay adDay, out string error)
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
            adDay.Spend += spend;
            adDay.Impressions += impressions;
            adDay.Reach += reach;
            adDay.LinkClicks += clicks;
            adDay.Purchases += purchases;
            adDay.PurchaseValue += value;
            adDay.Frequency = file.IsEmpty(columns.Frequency) ? null : frequency;
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

    /// <summary>Creates the campaigns, ad sets and ads the file names and the store lacks; returns each ad key's ad id.</summary>
    private async Task<Dictionary<string, long>> SaveEntitiesAsync(Reading reading, List<KeyValuePair<AdDayKey, AdDay>> accepted,
        string currency, MetaAdsImportResult result, CancellationToken cancellationToken)
    {
        var identities = accepted.Select(d => d.Key.AdKey).Distinct(StringComparer.Ordinal).Select(k => reading.Ads[k]).ToList();
        var now = time.GetUtcNow().UtcDateTime;

        var accounts = await db.AdAccounts.Where(a => a.Platform == Platform).ToListAsync(cancellationToken);
        var accountIds = accounts.ToDictionary(a => a.ExternalId, a => a.Id, StringComparer.Ordinal);
        var newAccounts = new List<AdAccount>();
        long? defaultAccountId = accounts.OrderBy(a => a.Id).Select(a => (long?)a.Id).FirstOrDefault();
        foreach (var identity in identities)
        {
            var externalId = identity.AccountId ?? (defaultAccountId is null ? FallbackAccountId : null);
            if (externalId is not null && !accountIds.ContainsKey(externalId) && newAccounts.All(a => a.ExternalId != externalId))
            {
                newAccounts.Add(new AdAccount
                {
                    Platform = Platform,
                    ExternalId = externalId,
                    Name = identity.AccountName ?? (externalId == FallbackAccountId ? "Imported from CSV" : externalId),
                    Currency = currency,
                });
            }
        }
        await BulkWriter.InsertAsync(db, newAccounts, cancellationToken);
        foreach (var account in newAccounts)
        {
            accountIds[account.ExternalId] = account.Id;
        }
        defaultAccountId ??= accountIds.GetValueOrDefault(FallbackAccountId);
        long AccountFor(AdIdentity identity) => identity.AccountId is { } id ? accountIds[id] : defaultAccountId!.Value;

        var campaigns = await LoadByExternalIdAsync(db.Campaigns, identities.Select(i => i.CampaignKey), c => c.ExternalId, cancellationToken);
        var newCampaigns = new Dictionary<string, Campaign>(StringComparer.Ordinal);
        foreach (var identity in identities)
        {
            if (campaigns.TryGetValue(identity.CampaignKey, out var campaign))
            {
                Rename(campaign.Name, identity.CampaignName, name => { campaign.Name = name; campaign.UpdatedAtUtc = now; });
            }
            else if (!newCampaigns.ContainsKey(identity.CampaignKey))
            {
                newCampaigns[identity.CampaignKey] = new Campaign
                {
                    AdAccountId = AccountFor(identity),
                    ExternalId = identity.CampaignKey,
                    Name = identity.CampaignName,
                    UpdatedAtUtc = now,
                };
            }
        }
        await BulkWriter.InsertAsync(db, newCampaigns.Values.ToList(), cancellationToken);
        foreach (var (key, campaign) in newCampaigns)
        {
            campaigns[key] = campaign;
        }

        var adSets = await LoadByExternalIdAsync(db.AdSets, identities.Select(i => i.AdSetKey), s => s.ExternalId, cancellationToken);
        var newAdSets = new Dictionary<string, AdSet>(StringComparer.Ordinal);
        foreach (var identity in identities)
        {
            if (adSets.TryGetValue(identity.AdSetKey, out var adSet))
            {
                Rename(adSet.Name, identity.AdSetName, name => { adSet.Name = name; adSet.UpdatedAtUtc = now; });
            }
            else if (!newAdSets.ContainsKey(identity.AdSetKey))
            {
                newAdSets[identity.AdSetKey] = new AdSet
                {
                    CampaignId = campaigns[identity.CampaignKey].Id,
                    ExternalId = identity.AdSetKey,
                    Name = identity.AdSetName,
                    UpdatedAtUtc = now,
                };
            }
        }
        await BulkWriter.InsertAsync(db, newAdSets.Values.ToList(), cancellationToken);
        foreach (var (key, adSet) in newAdSets)
        {
            adSets[key] = adSet;
        }

        var ads = await LoadByExternalIdAsync(db.Ads, identities.Select(i => i.AdKey), a => a.ExternalId, cancellationToken);
        var newAds = new List<Ad>();
        foreach (var identity in identities)
        {
            if (ads.TryGetValue(identity.AdKey, out var ad))
            {
                Rename(ad.Name, identity.AdName, name => { ad.Name = name; ad.UpdatedAtUtc = now; });
                continue;
            }
            var adSet = adSets[identity.AdSetKey];
            ad = new Ad { AdSetId = adSet.Id, CampaignId = adSet.CampaignId, ExternalId = identity.AdKey, Name = identity.AdName, UpdatedAtUtc = now };
            newAds.Add(ad);
            ads[identity.AdKey] = ad;
        }
        await BulkWriter.InsertAsync(db, newAds, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);

        result.CampaignsCreated = newCampaigns.Count;
        result.AdSetsCreated = newAdSets.Count;
        result.AdsCreated = newAds.Count;
        return ads.ToDictionary(a => a.Key, a => a.Value.Id, StringComparer.Ordinal);
    }

    /// <summary>Names change in Ads Manager; the id stays. Derived keys come from the name, so they never rename.</summary>
    private static void Rename(string current, string incoming, Action<string> apply)
    {
        if (!string.Equals(current, incoming, StringComparison.Ordinal))
        {
            apply(incoming);
        }
    }

    /// <summary>Tracked entities of the current store with these external ids, queried in chunks.</summary>
    private static async Task<Dictionary<string, T>> LoadByExternalIdAsync<T>(IQueryable<T> set, IEnumerable<string> externalIds,
        Func<T, string> externalId, CancellationToken cancellationToken) where T : class
    {
        var found = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var chunk in externalIds.Distinct(StringComparer.Ordinal).Chunk(QueryChunk))
        {
            var keys = chunk.ToList();
            var rows = await set.Where(e => keys.Contains(EF.Property<string>(e, "ExternalId"))).ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                found[externalId(row)] = row;
            }
        }
        return found;
    }

    private async Task SaveInsightsAsync(List<KeyValuePair<AdDayKey, AdDay>> accepted, Dictionary<string, long> adIds, MetaAdsImportResult result,
        CancellationToken cancellationToken)
    {
        var minDate = accepted.Min(d => d.Key.Date);
        var maxDate = accepted.Max(d => d.Key.Date);
        var existing = new Dictionary<(long AdId, DateOnly Date), AdInsightDaily>();
        foreach (var chunk in adIds.Values.Distinct().Chunk(QueryChunk))
        {
            var ids = chunk.ToList();
            var rows = await db.AdInsights.AsNoTracking()
                .Where(i => ids.Contains(i.AdId) && i.Date >= minDate && i.Date <= maxDate)
                .ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                existing[(row.AdId, row.Date)] = row;
            }
        }

        var inserts = new List<AdInsightDaily>();
        foreach (var (key, adDay) in accepted)
        {
            var adId = adIds[key.AdKey];
            var incoming = new AdInsightDaily
            {
                AdId = adId,
                Date = key.Date,
                Spend = adDay.Spend,
                Impressions = adDay.Impressions,
                Reach = adDay.Reach,
                Frequency = adDay.EffectiveFrequency,
                LinkClicks = adDay.LinkClicks,
                Purchases = adDay.Purchases,
                PurchaseValue = adDay.PurchaseValue,
            };
            if (!existing.TryGetValue((adId, key.Date), out var stored))
            {
                inserts.Add(incoming);
                continue;
            }
            if (stored.Spend == incoming.Spend && stored.Impressions == incoming.Impressions && stored.Reach == incoming.Reach
                && stored.Frequency == incoming.Frequency && stored.LinkClicks == incoming.LinkClicks && stored.Purchases == incoming.Purchases
                && stored.PurchaseValue == incoming.PurchaseValue)
            {
                result.InsightsUnchanged++;
                continue;
            }
            incoming.Id = stored.Id;
            incoming.StoreId = stored.StoreId;
            db.AdInsights.Update(incoming);
            result.InsightsUpdated++;
        }
        await db.SaveChangesAsync(cancellationToken);
        await BulkWriter.InsertAsync(db, inserts, cancellationToken);
        result.InsightsCreated = inserts.Count;
    }
}
