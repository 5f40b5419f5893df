using AdIntel.Web.Alerts.Notifications;
using AdIntel.Web.Brain.Llm;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Email;
using AdIntel.Web.Metrics;
using AdIntel.Web.Pages.Rules;
using AdIntel.Web.Rules.Actions;

namespace AdIntel.Web.Pages.Settings;

public static class SettingsEndpoints
{
    public static RouteGroupBuilder MapSettingsEndpoints(this RouteGroupBuilder api)
    {
        var settings = api.MapGroup("/settings");
        settings.MapGet("", GetAllAsync).RequireAuthorization(Policies.Viewer);
        settings.MapGet("/costs", GetAsync).RequireAuthorization(Policies.Viewer);
        settings.MapPut("/costs", PutCostsAsync).RequireAuthorization(Policies.Marketer);
        settings.MapGet("/targets", GetTargetsAsync).RequireAuthorization(Policies.Viewer);
        settings.MapPut("/targets", PutTargetsAsync).RequireAuthorization(Policies.Marketer);
        settings.MapGet("/community", GetCommunityAsync).RequireAuthorization(Policies.Viewer);
        settings.MapPut("/community", PutCommunityAsync).RequireAuthorization(Policies.Owner);
        settings.MapGet("/brand-profile", GetBrandProfileAsync).RequireAuthorization(Policies.Viewer);
        settings.MapPut("/brand-profile", PutBrandProfileAsync).RequireAuthorization(Policies.Marketer);
        return api;
    }

    /// <summary>
    /// Every settings section, each exactly as its own endpoint answers (read by the same code): costs, targets,
    /// automation, notifications, community, integrations and brand (the brand profile).
    /// </summary>
    private static async Task<IResult> GetAllAsync(AdIntelDbContext db, TimeProvider time, MetricsService metrics, AutomationSettings automation,
        ActionExecutor executor, NotificationSettings notifications, StoreCommunitySettings community, IEmailSender email, LlmChatClients llm,
        StoreBrandProfile brand, CancellationToken cancellationToken) =>
        ApiResults.Ok(new
        {
            costs = await ReadCostsAsync(db, time, cancellationToken),
            targets = TargetsDto.From(await metrics.GetTargetsAsync(cancellationToken)),
            automation = await RulesEndpoints.ReadAutomationAsync(automation, executor, cancellationToken),
            notifications = await notifications.GetAsync(cancellationToken),
            community = await community.GetAsync(cancellationToken),
            integrations = await NotificationsEndpoints.ReadIntegrationsAsync(db, notifications, email, llm, cancellationToken),
            brand = await ReadBrandProfileAsync(brand, cancellationToken),
        });

    private static async Task<StoreBrandProfile.BrandProfileDto> ReadBrandProfileAsync(StoreBrandProfile brand, CancellationToken cancellationToken) =>
        StoreBrandProfile.BrandProfileDto.From(await brand.GetAsync(cancellationToken));

    private static async Task<IResult> GetBrandProfileAsync(StoreBrandProfile brand, CancellationToken cancellationToken) =>
        ApiResults.Ok(await ReadBrandProfileAsync(brand, cancellationToken));

    private static async Task<IResult> PutBrandProfileAsync(StoreBrandProfile.BrandProfileDto? body, StoreBrandProfile brand, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ApiResults.BadRequest("Send a JSON body with voice, audience (text), productsToFeature, wordsToAvoid and claimsAllowed (lists of text); a missing field means empty.");
        }
        var problems = await brand.SaveAsync(body.ToProfile(), cancellationToken);
        if (problems.Count > 0)
        {
            return ApiResults.Unprocessable("invalid_settings", "The brand profile is not valid; nothing was saved.", problems);
        }
        return ApiResults.Ok(await ReadBrandProfileAsync(brand, cancellationToken));
    }

    private static async Task<IResult> GetCommunityAsync(StoreCommunitySettings community, CancellationToken cancellationToken) =>
        ApiResults.Ok(await community.GetAsync(cancellationToken));

    private static async Task<IResult> PutCommunityAsync(StoreCommunitySettings.CommunityDto? body, StoreCommunitySettings community,
        CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ApiResults.BadRequest("Send a JSON body with benchmarks (true to share the store's figures in the pooled benchmarks, false not to).");
        }
        if (body.Benchmarks is not { } benchmarks)
        {
            return ApiResults.Unprocessable("invalid_settings", "Say whether the store takes part in the pooled benchmarks.",
                new Dictionary<string, string> { ["benchmarks"] = "must be true or false" });
        }
        await community.SaveAsync(benchmarks, cancellationToken);
        return ApiResults.Ok(await community.GetAsync(cancellationToken));
    }

    /// <summary>
    /// The store's targets as they apply (defaults filled in); <c>cpa</c> null means break-even, <c>breakEvenCpa</c> is
    /// today's (contribution margin per order over the last 30 complete days). In a PUT a missing or null field means the default.
    /// </summary>
    public sealed record TargetsDto(decimal? Mer, decimal? Roas, decimal? LtvToCac, int? PaybackDays, decimal? Poas, decimal? Cpa, decimal? BreakEvenCpa = null)
    {
        public static TargetsDto From(StoreTargetsNow now)
        {
            var t = now.Targets;
            return new(t.MerTarget.Value, t.RoasTarget.Value, t.LtvToCacTarget.Value, (int)t.PaybackTarget.Value, t.PoasTarget.Value, t.Cpa,
                now.BreakEvenCpa is { } breakEven ? Math.Round(breakEven, 2, MidpointRounding.AwayFromZero) : null);
        }

        public StoreTargets ToTargets() => new(Mer, Roas, LtvToCac, PaybackDays, Poas, Cpa);
    }

    private static async Task<IResult> GetTargetsAsync(MetricsService metrics, CancellationToken cancellationToken) =>
        ApiResults.Ok(TargetsDto.From(await metrics.GetTargetsAsync(cancellationToken)));

    private static async Task<IResult> PutTargetsAsync(TargetsDto? body, StoreTargetSettings targets, MetricsService metrics, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ApiResults.BadRequest("Send a JSON body with mer, roas, ltvToCac, paybackDays, poas and cpa (null or missing: the default; cpa null: break-even).");
        }
        var problems = await targets.SaveAsync(body.ToTargets(), cancellationToken);
        if (problems.Count > 0)
        {
            return ApiResults.Unprocessable("invalid_settings", "Some targets are out of range.", problems);
        }
        return ApiResults.Ok(TargetsDto.From(await metrics.GetTargetsAsync(cancellationToken)));
    }

    public sealed record CostSettingsDto(decimal PaymentFeePercent, decimal PaymentFeeFixed, decimal ShippingCostPerOrder, decimal OtherMarketingCostPerMonth);

    private static async Task<IResult> GetAsync(AdIntelDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        ApiResults.Ok(await ReadCostsAsync(db, time, cancellationToken));

    private static async Task<CostSettingsDto> ReadCostsAsync(AdIntelDbContext db, TimeProvider time, CancellationToken cancellationToken) =>
        StoreCostSettings.Snapshot(await db.GetOrCreateStoreSettingsAsync(time, cancellationToken));

    private static async Task<IResult> PutCostsAsync(CostSettingsDto? body, AdIntelDbContext db, IAuditLog audit, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ApiResults.BadRequest("Send a JSON body with paymentFeePercent, paymentFeeFixed, shippingCostPerOrder and otherMarketingCostPerMonth.");
        }
        var problems = new Dictionary<string, string>();
        if (body.PaymentFeePercent is < 0 or > 20) problems["paymentFeePercent"] = "must be between 0 and 20";
        if (body.PaymentFeeFixed is < 0 or > 100) problems["paymentFeeFixed"] = "must be between 0 and 100";
        if (body.ShippingCostPerOrder is < 0 or > 1000) problems["shippingCostPerOrder"] = "must be between 0 and 1000";
        if (body.OtherMarketingCostPerMonth < 0) problems["otherMarketingCostPerMonth"] = "must be 0 or more";
        if (problems.Count > 0)
        {
            return ApiResults.Unprocessable("invalid_settings", "Some cost settings are out of range.", problems);
        }
        var s = await db.GetOrCreateStoreSettingsAsync(time, cancellationToken);
        var before = StoreCostSettings.Snapshot(s);
        s.PaymentFeePercent = body.PaymentFeePercent;
        s.PaymentFeeFixed = body.PaymentFeeFixed;
        s.ShippingCostPerOrder = body.ShippingCostPerOrder;
        s.OtherMarketingCostPerMonth = body.OtherMarketingCostPerMonth;
        s.UpdatedAtUtc = time.GetUtcNow().UtcDateTime;
        if (StoreCostSettings.DescribeChange(s, before) is { } change)
        {
            audit.Record(change);
        }
        await db.SaveChangesAsync(cancellationToken);
        return ApiResults.Ok(body);
    }
}
