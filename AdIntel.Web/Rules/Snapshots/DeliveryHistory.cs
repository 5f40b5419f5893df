using AdIntel.Web.Domain;
using AdIntel.Web.Metrics;
using AdIntel.Web.Rules.Expressions;

namespace AdIntel.Web.Rules.Snapshots;

/// <summary>
/// A store's ad entities and daily delivery up to one instant, held in memory (loaded by
/// <see cref="RuleSnapshotBuilder.LoadAsync"/>). <see cref="SnapshotAt"/> computes every variable for any earlier
/// instant without touching the database again, which is what backtests replay day by day.
/// </summary>
/// <remarks>
/// Entity attributes (status, budgets, last edit) are the current ones: the database keeps no history of them, so a
/// snapshot of a past instant combines past delivery with today's settings.
/// </remarks>
public sealed class DeliveryHistory
{
    private readonly IReadOnlyDictionary<RuleScope, IReadOnlyList<EntityRecord>> _entities;
    private readonly DailyStoreFacts[] _facts;
    private readonly StoreSettings _settings;

    internal DeliveryHistory(long storeId, TimeZoneInfo timeZone, DateTimeOffset loadedAsOf,
        IReadOnlyDictionary<RuleScope, IReadOnlyList<EntityRecord>> entities, DailyStoreFacts[] factsInOrder, StoreSettings settings)
    {
        StoreId = storeId;
        TimeZone = timeZone;
        LoadedAsOf = loadedAsOf;
        LastDay = LocalDate(loadedAsOf);
        _entities = entities;
        _facts = factsInOrder;
        _settings = settings;
    }

    public long StoreId { get; }
    public TimeZoneInfo TimeZone { get; }

    /// <summary>The instant the data was loaded for; snapshots can be taken at or before it.</summary>
    public DateTimeOffset LoadedAsOf { get; }

    /// <summary>The store-local day of <see cref="LoadedAsOf"/>: the last day loaded.</summary>
    public DateOnly LastDay { get; }

    /// <summary>The store-local calendar day of an instant.</summary>
    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);

    /// <summary>Every entity's variables and history as of <paramref name="asOf"/> (at most <see cref="LoadedAsOf"/>).</summary>
    public RuleSnapshot SnapshotAt(DateTimeOffset asOf)
    {
        if (asOf > LoadedAsOf)
        {
            throw new ArgumentOutOfRangeException(nameof(asOf), asOf, $"The history was loaded up to {LoadedAsOf:O}; load it again for a later instant.");
        }
        var today = LocalDate(asOf);
        var windows = RuleWindow.All.Select(w => w.Range(today)).ToArray();
        var storeRates = windows.Select(w => StoreRates(w.First, w.Last)).ToArray();
        var calculator = new SnapshotCalculator(today, asOf.UtcDateTime, windows, storeRates);

        var campaignsById = _entities[RuleScope.Campaign].ToDictionary(c => c.Id);
        var adSets = _entities[RuleScope.AdSet].Select(a => calculator.AdSet(a, a.CampaignId is { } id ? campaignsById.GetValueOrDefault(id) : null)).ToList();
        var adSetsById = adSets.ToDictionary(a => a.Id);
        var adSetsByCampaign = adSets.ToLookup(a => a.CampaignId);
        var campaigns = _entities[RuleScope.Campaign].Select(c => calculator.Campaign(c, adSetsByCampaign[c.Id])).ToList();
        var campaignsByAccount = campaigns.ToLookup(c => c.AdAccountId);
        var entities = new Dictionary<RuleScope, IReadOnlyList<EntitySnapshot>>
        {
            [RuleScope.AdSet] = adSets,
            [RuleScope.Campaign] = campaigns,
            [RuleScope.Ad] = [.. _entities[RuleScope.Ad].Select(a => calculator.Ad(a, a.AdSetId is { } id ? adSetsById.GetValueOrDefault(id) : null))],
            [RuleScope.Account] = [.. _entities[RuleScope.Account].Select(a => calculator.Account(a, campaignsByAccount[a.Id]))],
        };
        return new RuleSnapshot(asOf, today, entities);
    }

    /// <summary>
    /// The store's contribution margin and new-customer sales per unit of total sales over a window (from Shopify, via
    /// <see cref="KpiCalculator"/>): they turn an entity's platform purchase value into <c>poas</c> and <c>nc_roas</c>.
    /// </summary>
    private (double MarginRate, double NewCustomerShare) StoreRates(DateOnly first, DateOnly last)
    {
        var days = _facts.Where(f => f.Date >= first && f.Date <= last);
        var kpis = KpiCalculator.Compute(new DateRange(first, last), FactTotals.Sum(days), _settings, 0m, LtvCurve.InsufficientHistory);
        if (kpis.TotalSales == 0)
        {
            return (RuleOps.Missing, RuleOps.Missing);
        }
        return ((double)(kpis.ContributionMargin / kpis.TotalSales), (double)(kpis.NewCustomerNetSales / kpis.TotalSales));
    }

    /// <summary>Fills snapshot rows for one instant.</summary>
    private sealed class SnapshotCalculator(DateOnly today, DateTime asOfUtc, (DateOnly First, DateOnly Last)[] windows,
        (double MarginRate, double NewCustomerShare)[] storeRates)
    {
        private static readonly int[] Spend = Slots(RuleMetric.Spend), Impressions = Slots(RuleMetric.Impressions), Reach = Slots(RuleMetric.Reach),
            Clicks = Slots(RuleMetric.Clicks), Purchases = Slots(RuleMetric.Purchases), PurchaseValue = Slots(RuleMetric.PurchaseValue),
            Roas = Slots(RuleMetric.Roas), Cpa = Slots(RuleMetric.Cpa), Ctr = Slots(RuleMetric.Ctr), Cpm = Slots(RuleMetric.Cpm),
            Cpc = Slots(RuleMetric.Cpc), Frequency = Slots(RuleMetric.Frequency), Poas = Slots(RuleMetric.Poas), NcRoas = Slots(RuleMetric.NcRoas);
        private static readonly int BudgetSlot = RuleVariableCatalogue.Get(RuleVariableCatalogue.DailyBudget).Slot;
        private static readonly int StatusSlot = RuleVariableCatalogue.Get(RuleVariableCatalogue.Status).Slot;
        private static readonly int AgeSlot = RuleVariableCatalogue.Get(RuleVariableCatalogue.AgeDays).Slot;
        private static readonly int LearningSlot = RuleVariableCatalogue.Get(RuleVariableCatalogue.InLearning).Slot;
        private static readonly int Purchases7dSlot = RuleVariableCatalogue.Get("purchases_7d").Slot;

        /// <summary>An ad set without a budget of its own spends its campaign's (CBO).</summary>
        public EntitySnapshot AdSet(EntityRecord adSet, EntityRecord? campaign)
        {
            var values = Metrics(adSet);
            values[BudgetSlot] = (adSet.OwnBudget ?? campaign?.OwnBudget) is { } budget ? (double)budget : RuleOps.Missing;
            var editedRecently = adSet.LastSignificantEditAtUtc is { } edited && edited <= asOfUtc
                && asOfUtc - edited < TimeSpan.FromHours(RuleVariableCatalogue.LearningHoursAfterEdit);
            values[LearningSlot] = values[Purchases7dSlot] < RuleVariableCatalogue.LearningPurchases || editedRecently ? 1 : 0;
            return Finish(adSet, values);
        }

        public EntitySnapshot Ad(EntityRecord ad, EntitySnapshot? adSet)
        {
            var values = Metrics(ad);
            values[BudgetSlot] = adSet?.Values[BudgetSlot] ?? RuleOps.Missing;
            values[LearningSlot] = adSet?.Values[LearningSlot] ?? 0;
            return Finish(ad, values);
        }

        public EntitySnapshot Campaign(EntityRecord campaign, IEnumerable<EntitySnapshot> adSets)
        {
            var values = Metrics(campaign);
            var active = adSets.Where(a => IsActive(a.Status)).ToList();
            // Without a campaign budget, each ad set's budget is its own (no CBO fallback applies).
            var adSetBudgets = active.Select(a => a.Values[BudgetSlot]).Where(b => !double.IsNaN(b)).ToList();
            values[BudgetSlot] = campaign.OwnBudget is { } own ? (double)own : adSetBudgets.Count > 0 ? adSetBudgets.Sum() : RuleOps.Missing;
            values[LearningSlot] = active.Any(a => a.Values[LearningSlot] != 0) ? 1 : 0;
            return Finish(campaign, values);
        }

        public EntitySnapshot Account(EntityRecord account, IEnumerable<EntitySnapshot> campaigns)
        {
            var values = Metrics(account);
            var active = campaigns.Where(c => IsActive(c.Status)).ToList();
            var budgets = active.Select(c => c.Values[BudgetSlot]).Where(b => !double.IsNaN(b)).ToList();
            values[BudgetSlot] = budgets.Count > 0 ? budgets.Sum() : RuleOps.Missing;
            values[LearningSlot] = active.Any(c => c.Values[LearningSlot] != 0) ? 1 : 0;
            return Finish(account, values);
        }

        private EntitySnapshot Finish(EntityRecord entity, double[] values)
        {
            values[StatusSlot] = RuleVariableCatalogue.StatusCode(entity.Status);
            var start = entity.StartDate ?? entity.Series.FirstDay(today);
            values[AgeSlot] = start is { } first ? today.DayNumber - first.DayNumber : RuleOps.Missing;
            return new EntitySnapshot(entity, values, entity.Series.Through(today));
        }

        private double[] Metrics(EntityRecord entity)
        {
            var values = new double[RuleVariableCatalogue.SlotCount];
            for (var w = 0; w < windows.Length; w++)
            {
                var t = entity.Series.Sum(windows[w].First, windows[w].Last);
                double spend = (double)t.Spend, impressions = t.Impressions, reach = t.Reach, clicks = t.Clicks,
                    purchases = (double)t.Purchases, value = (double)t.PurchaseValue;
                var (marginRate, newCustomerShare) = storeRates[w];
                values[Spend[w]] = spend;
                values[Impressions[w]] = impressions;
                values[Reach[w]] = reach;
                values[Clicks[w]] = clicks;
                values[Purchases[w]] = purchases;
                values[PurchaseValue[w]] = value;
                values[Roas[w]] = t.Spend == 0 ? RuleOps.Missing : (double)(t.PurchaseValue / t.Spend);
                values[Cpa[w]] = t.Purchases == 0 ? RuleOps.Missing : (double)(t.Spend / t.Purchases);
                values[Ctr[w]] = RuleOps.Divide(clicks, impressions);
                values[Cpm[w]] = t.Impressions == 0 ? RuleOps.Missing : (double)(t.Spend * 1000m / t.Impressions);
                values[Cpc[w]] = t.Clicks == 0 ? RuleOps.Missing : (double)(t.Spend / t.Clicks);
                values[Frequency[w]] = RuleOps.Divide(impressions, reach);
                values[Poas[w]] = RuleOps.Divide(value * marginRate, spend);
                values[NcRoas[w]] = RuleOps.Divide(value * newCustomerShare, spend);
            }
            return values;
        }

        private static bool IsActive(string status) => string.Equals(status, EntityStatus.Active, StringComparison.OrdinalIgnoreCase);

        private static int[] Slots(RuleMetric metric) => [.. RuleWindow.All.Select(w => RuleVariableCatalogue.Get(metric, w).Slot)];
    }
}
