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
        var calculator = new SnapshotCalculator(today, asOf.UtcDateTime, storeRates);

        var delivery = WindowTotals(today, windows);

        var campaignsById = _entities[RuleScope.Campaign].ToDictionary(c => c.Id);
        var adSets = _entities[RuleScope.AdSet].Select(a => calculator.AdSet(a, a.CampaignId is { } id ? campaignsById.GetValueOrDefault(id) : null,
            delivery.Of(RuleScope.AdSet, a.Id))).ToList();
        var adSetsById = adSets.ToDictionary(a => a.Id);
        var adSetsByCampaign = adSets.ToLookup(a => a.CampaignId);
        var campaigns = _entities[RuleScope.Campaign].Select(c => calculator.Campaign(c, adSetsByCampaign[c.Id], delivery.Of(RuleScope.Campaign, c.Id))).ToList();
        var campaignsByAccount = campaigns.ToLookup(c => c.AdAccountId);
        var ads = _entities[RuleScope.Ad];
        var adSnapshots = new EntitySnapshot[ads.Count];
        for (var i = 0; i < ads.Count; i++)
        {
            adSnapshots[i] = calculator.Ad(ads[i], ads[i].AdSetId is { } id ? adSetsById.GetValueOrDefault(id) : null, delivery.OfAd(i));
        }
        var entities = new Dictionary<RuleScope, IReadOnlyList<EntitySnapshot>>
        {
            [RuleScope.AdSet] = adSets,
            [RuleScope.Campaign] = campaigns,
            [RuleScope.Ad] = adSnapshots,
            [RuleScope.Account] = [.. _entities[RuleScope.Account].Select(a => calculator.Account(a, campaignsByAccount[a.Id], delivery.Of(RuleScope.Account, a.Id)))],
        };
        return new RuleSnapshot(asOf, today, entities);
    }

    /// <summary>
    /// Every ad's totals per window as of <paramref name="today"/>, and each ad set's, campaign's and account's as the sum
    /// of its ads' (the ad's own campaign; an account through the campaign's), with the first day each had delivery.
    /// </summary>
    private WindowDelivery WindowTotals(DateOnly today, (DateOnly First, DateOnly Last)[] windows)
    {
        var ads = _entities[RuleScope.Ad];
        var count = windows.Length;
        var delivery = new WindowDelivery(count, ads.Count);
        var accountOfCampaign = _entities[RuleScope.Campaign].Where(c => c.AdAccountId is not null).ToDictionary(c => c.Id, c => c.AdAccountId!.Value);
        for (var i = 0; i < ads.Count; i++)
        {
            var ad = ads[i];
            var series = ad.Series.Value;
            var sums = delivery.AdSums(i);
            for (var w = 0; w < count; w++)
            {
                sums[w] = series.Sum(windows[w].First, windows[w].Last);
            }
            var firstDay = series.FirstDay(today);
            delivery.SetAdFirstDay(i, firstDay);
            if (ad.AdSetId is { } adSetId)
            {
                delivery.AddTo(RuleScope.AdSet, adSetId, sums, firstDay);
            }
            if (ad.CampaignId is { } campaignId)
            {
                delivery.AddTo(RuleScope.Campaign, campaignId, sums, firstDay);
                if (accountOfCampaign.TryGetValue(campaignId, out var accountId))
                {
                    delivery.AddTo(RuleScope.Account, accountId, sums, firstDay);
                }
            }
        }
        return delivery;
    }

    /// <summary>Totals per window of every entity at one instant, and the first day each had delivery.</summary>
    private sealed class WindowDelivery(int windows, int ads)
    {
        private readonly DeliverySums[] _adSums = new DeliverySums[windows * ads];
        private readonly DateOnly?[] _adFirstDays = new DateOnly?[ads];
        private readonly Dictionary<(RuleScope, long), (DeliverySums[] Sums, DateOnly? FirstDay)> _parents = [];

        public Span<DeliverySums> AdSums(int ad) => _adSums.AsSpan(ad * windows, windows);

        public void SetAdFirstDay(int ad, DateOnly? day) => _adFirstDays[ad] = day;

        public EntityDelivery OfAd(int ad) => new(_adSums.AsMemory(ad * windows, windows), _adFirstDays[ad]);

        public void AddTo(RuleScope scope, long id, ReadOnlySpan<DeliverySums> sums, DateOnly? firstDay)
        {
            if (!_parents.TryGetValue((scope, id), out var parent))
            {
                parent = (new DeliverySums[windows], null);
            }
            for (var w = 0; w < sums.Length; w++)
            {
                parent.Sums[w] += sums[w];
            }
            _parents[(scope, id)] = (parent.Sums, firstDay is { } day && (parent.FirstDay is null || day < parent.FirstDay) ? day : parent.FirstDay);
        }

        public EntityDelivery Of(RuleScope scope, long id) =>
            _parents.TryGetValue((scope, id), out var parent) ? new(parent.Sums, parent.FirstDay) : new(new DeliverySums[windows], null);
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
    private sealed class SnapshotCalculator(DateOnly today, DateTime asOfUtc,
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
        public EntitySnapshot AdSet(EntityRecord adSet, EntityRecord? campaign, EntityDelivery delivery)
        {
            var values = Metrics(delivery.Sums.Span);
            values[BudgetSlot] = (adSet.OwnBudget ?? campaign?.OwnBudget) is { } budget ? (double)budget : RuleOps.Missing;
            var editedRecently = adSet.LastSignificantEditAtUtc is { } edited && edited <= asOfUtc
                && asOfUtc - edited < TimeSpan.FromHours(RuleVariableCatalogue.LearningHoursAfterEdit);
            values[LearningSlot] = values[Purchases7dSlot] < RuleVariableCatalogue.LearningPurchases || editedRecently ? 1 : 0;
            return Finish(adSet, values, delivery.FirstDay);
        }

        public EntitySnapshot Ad(EntityRecord ad, EntitySnapshot? adSet, EntityDelivery delivery)
        {
            var values = Metrics(delivery.Sums.Span);
            values[BudgetSlot] = adSet?.Values[BudgetSlot] ?? RuleOps.Missing;
            values[LearningSlot] = adSet?.Values[LearningSlot] ?? 0;
            return Finish(ad, values, delivery.FirstDay);
        }

        public EntitySnapshot Campaign(EntityRecord campaign, IEnumerable<EntitySnapshot> adSets, EntityDelivery delivery)
        {
            var values = Metrics(delivery.Sums.Span);
            var active = adSets.Where(a => IsActive(a.Status)).ToList();
            // Without a campaign budget, each ad set's budget is its own (no CBO fallback applies).
            var adSetBudgets = active.Select(a => a.Values[BudgetSlot]).Where(b => !double.IsNaN(b)).ToList();
            values[BudgetSlot] = campaign.OwnBudget is { } own ? (double)own : adSetBudgets.Count > 0 ? adSetBudgets.Sum() : RuleOps.Missing;
            values[LearningSlot] = active.Any(a => a.Values[LearningSlot] != 0) ? 1 : 0;
            return Finish(campaign, values, delivery.FirstDay);
        }

        public EntitySnapshot Account(EntityRecord account, IEnumerable<EntitySnapshot> campaigns, EntityDelivery delivery)
        {
            var values = Metrics(delivery.Sums.Span);
            var active = campaigns.Where(c => IsActive(c.Status)).ToList();
            var budgets = active.Select(c => c.Values[BudgetSlot]).Where(b => !double.IsNaN(b)).ToList();
            values[BudgetSlot] = budgets.Count > 0 ? budgets.Sum() : RuleOps.Missing;
            values[LearningSlot] = active.Any(c => c.Values[LearningSlot] != 0) ? 1 : 0;
            return Finish(account, values, delivery.FirstDay);
        }

        private EntitySnapshot Finish(EntityRecord entity, double[] values, DateOnly? firstDelivery)
        {
            values[StatusSlot] = RuleVariableCatalogue.StatusCode(entity.Status);
            var start = entity.StartDate ?? firstDelivery;
            values[AgeSlot] = start is { } first ? today.DayNumber - first.DayNumber : RuleOps.Missing;
            return new EntitySnapshot(entity, values, today);
        }

        private double[] Metrics(ReadOnlySpan<DeliverySums> sums)
        {
            const double UnitsPerOne = DeliverySums.UnitsPerOne;
            var values = new double[RuleVariableCatalogue.SlotCount];
            for (var w = 0; w < sums.Length; w++)
            {
                var t = sums[w];
                double spend = t.Spend / UnitsPerOne, impressions = t.Impressions, reach = t.Reach, clicks = t.Clicks,
                    purchases = t.Purchases / UnitsPerOne, value = t.PurchaseValue / UnitsPerOne;
                var (marginRate, newCustomerShare) = storeRates[w];
                values[Spend[w]] = spend;
                values[Impressions[w]] = impressions;
                values[Reach[w]] = reach;
                values[Clicks[w]] = clicks;
                values[Purchases[w]] = purchases;
                values[PurchaseValue[w]] = value;
                // Ratios of the exact integer totals: one rounding, to the nearest double.
                values[Roas[w]] = t.Spend == 0 ? RuleOps.Missing : (double)t.PurchaseValue / t.Spend;
                values[Cpa[w]] = t.Purchases == 0 ? RuleOps.Missing : (double)t.Spend / t.Purchases;
                values[Ctr[w]] = RuleOps.Divide(clicks, impressions);
                values[Cpm[w]] = t.Impressions == 0 ? RuleOps.Missing : t.Spend / (UnitsPerOne / 1000 * t.Impressions);
                values[Cpc[w]] = t.Clicks == 0 ? RuleOps.Missing : t.Spend / (UnitsPerOne * t.Clicks);
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

/// <summary>An entity's delivery per window (in <see cref="RuleWindow.All"/> order) and its first day with delivery.</summary>
internal readonly record struct EntityDelivery(ReadOnlyMemory<DeliverySums> Sums, DateOnly? FirstDay);
