using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;

namespace AdIntel.Web.Pages.Settings;

public static class SettingsEndpoints
{
    public static RouteGroupBuilder MapSettingsEndpoints(this RouteGroupBuilder api)
    {
        var settings = api.MapGroup("/settings");
        settings.MapGet("", GetAsync).RequireAuthorization(Policies.Viewer);
        settings.MapGet("/costs", GetAsync).RequireAuthorization(Policies.Viewer);
        settings.MapPut("/costs", PutCostsAsync).RequireAuthorization(Policies.Marketer);
        return api;
    }

    public sealed record CostSettingsDto(decimal PaymentFeePercent, decimal PaymentFeeFixed, decimal ShippingCostPerOrder, decimal OtherMarketingCostPerMonth);

    private static async Task<IResult> GetAsync(AdIntelDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var s = await db.GetOrCreateStoreSettingsAsync(time, cancellationToken);
        return ApiResults.Ok(new CostSettingsDto(s.PaymentFeePercent, s.PaymentFeeFixed, s.ShippingCostPerOrder, s.OtherMarketingCostPerMonth));
    }

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
