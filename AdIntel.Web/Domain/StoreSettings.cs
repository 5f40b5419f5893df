namespace AdIntel.Web.Domain;

/// <summary>Per-store cost assumptions and preferences used by the metrics.</summary>
public sealed class StoreSettings : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    /// <summary>Payment processing fee as a percentage of the order total (2.9 means 2.9%).</summary>
    public decimal PaymentFeePercent { get; set; } = 2.9m;
    /// <summary>Fixed payment fee per order.</summary>
    public decimal PaymentFeeFixed { get; set; } = 0.30m;
    /// <summary>What shipping an order costs the merchant (label, packaging).</summary>
    public decimal ShippingCostPerOrder { get; set; }
    /// <summary>Marketing costs outside the ad platforms (agencies, influencers, tools), per month, spread evenly over its days.</summary>
    public decimal OtherMarketingCostPerMonth { get; set; }
    /// <summary>suggestions_only, auto_low_risk or auto_all: caps every rule's automation.</summary>
    public string AutomationMode { get; set; } = "suggestions_only";
    /// <summary>Kill switch: stops every automatic action at once; runs still evaluate and queue their actions for approval.</summary>
    public bool AutomationPaused { get; set; }
    // Safety rails (Rules/Actions/RailSettings): null means the default, so rows older than the rails get the defaults.
    /// <summary>Largest change of an entity's daily budget within one store-local day, in percent of the day's first budget (default 20).</summary>
    public decimal? MaxBudgetChangePercentPerDay { get; set; }
    /// <summary>Hours after an executed action during which automation leaves the same entity alone (default 24).</summary>
    public int? ActionCooldownHours { get; set; }
    /// <summary>Automatic actions one rule run may execute (default 10).</summary>
    public int? MaxActionsPerRun { get; set; }
    /// <summary>Automatic actions the store may execute per store-local day, all rules together (default 30).</summary>
    public int? MaxActionsPerDay { get; set; }
    /// <summary>Minimum evidence over the last 7 complete days before automation changes an entity (defaults 50, 1000, 3).</summary>
    public decimal? MinSpendForAutomation { get; set; }
    public int? MinImpressionsForAutomation { get; set; }
    /// <summary>Purchases needed before automation raises a budget or enables an entity.</summary>
    public int? MinPurchasesForScaleUp { get; set; }
    /// <summary>Turns the broken-tracking circuit breaker off (Tracking/TrackingHealth); on by default.</summary>
    public bool TrackingBreakerDisabled { get; set; }
    /// <summary>How far platform purchases per Shopify order must fall below their usual level to count as broken tracking (default 50).</summary>
    public decimal? TrackingBreakerDropPercent { get; set; }
    // Targets (Metrics/StoreTargets): null means the default, so rows older than the targets get the defaults.
    /// <summary>MER the store aims above (default 3).</summary>
    public decimal? TargetMer { get; set; }
    /// <summary>ROAS the store aims above (default 2).</summary>
    public decimal? TargetRoas { get; set; }
    /// <summary>LTV:CAC the store aims above (default 3).</summary>
    public decimal? TargetLtvToCac { get; set; }
    /// <summary>Days within which CAC should be paid back (default 90).</summary>
    public int? TargetPaybackDays { get; set; }
    /// <summary>POAS the store aims above (default 1.5).</summary>
    public decimal? TargetPoas { get; set; }
    /// <summary>Cost per purchase the store accepts; null means break-even: the contribution margin per order of the last 30 days.</summary>
    public decimal? TargetCpa { get; set; }
    /// <summary>
    /// Opt-in to the installation's pooled benchmarks (Settings → Community, owners only; off by default): while on, the
    /// store's period KPIs count towards the percentiles that other opted-in stores see, anonymously.
    /// </summary>
    public bool CommunityBenchmarks { get; set; }
    // Brand profile (Creatives/BrandProfile): what copy should sound like; lists are stored one item a line. Null: not set.
    /// <summary>The brand's voice in a few words, e.g. "warm, playful, confident".</summary>
    public string? BrandVoice { get; set; }
    /// <summary>Who the ads speak to.</summary>
    public string? BrandAudience { get; set; }
    public string? BrandProductsToFeature { get; set; }
    public string? BrandWordsToAvoid { get; set; }
    public string? BrandClaimsAllowed { get; set; }
    /// <summary>When the store's recommendations were last computed (Brain/Recommendations).</summary>
    public DateTime? RecommendationsComputedAtUtc { get; set; }
    public DateTime UpdatedAtUtc { get; set; }
}
