using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Metrics;

namespace AdIntel.Web.Pages.Costs;

/// <summary>
/// <c>GET /api/costs?from=&amp;to=&amp;q=</c>: every item with its cost, source and units sold in the period, and the
/// period's <c>cogsCoverage</c>; <c>PUT /api/costs/{variantId}</c> and <c>PUT /api/costs/sku/{sku}</c> (for a SKU only
/// orders carry) with <c>{"unitCost": 12.5, "validFrom": "2025-01-01"}</c> (validFrom optional) enter a cost, as the
/// page does. The costs CSV goes to <c>POST /api/import/product-costs</c>.
/// </summary>
public static class CostsEndpoints
{
    public static RouteGroupBuilder MapCostsEndpoints(this RouteGroupBuilder api)
    {
        var costs = api.MapGroup("/costs");
        costs.MapGet("", ListAsync).RequireAuthorization(Policies.Accountant);
        costs.MapPut("/{variantId}", (string variantId, CostInput? body, HttpContext http, StoreClock clock, CostCatalogue catalogue, CancellationToken cancellationToken) =>
            long.TryParse(variantId, out var id)
                ? SetAsync(CostItemKey.ForVariant(id), body, http, clock, catalogue, cancellationToken)
                : Task.FromResult(ApiResults.NotFound("Variant " + variantId))).RequireAuthorization(Policies.Marketer);
        costs.MapPut("/sku/{sku}", (string sku, CostInput? body, HttpContext http, StoreClock clock, CostCatalogue catalogue, CancellationToken cancellationToken) =>
            SetAsync(CostItemKey.ForSku(sku), body, http, clock, catalogue, cancellationToken)).RequireAuthorization(Policies.Marketer);
        return api;
    }

    public sealed record CostInput(decimal? UnitCost, DateOnly? ValidFrom);

    public sealed record CostItemDto(long? VariantId, string? Sku, string Product, string? Variant, decimal? UnitCost, string? Source, DateOnly? CostFrom,
        int UnitsSold, decimal Sales)
    {
        public static CostItemDto From(CostRow row) => new(row.Item.VariantId, row.Sku, row.Product, row.Variant,
            row.Cost is { } cost ? Math.Round(cost.UnitCost, 2, MidpointRounding.AwayFromZero) : null, row.Cost?.Source, row.Cost?.From,
            row.UnitsSold, Math.Round(row.Sales, 2, MidpointRounding.AwayFromZero));
    }

    public sealed record CostListDto(DateOnly From, DateOnly To, decimal? CogsCoverage, int Total, IReadOnlyList<CostItemDto> Items);

    private static async Task<IResult> ListAsync(string? from, string? to, string? preset, string? q, StoreClock clock, CostCatalogue catalogue,
        CancellationToken cancellationToken)
    {
        if (!DateRangeQuery.TryParse(from, to, preset, await clock.GetTodayAsync(cancellationToken), out var selection, out var error))
        {
            return error!.ToApiError();
        }
        var list = await catalogue.ListAsync(selection.Range, q, cancellationToken);
        return ApiResults.Ok(new CostListDto(list.Period.From, list.Period.To,
            list.Coverage is { } coverage ? Math.Round(coverage, 4, MidpointRounding.AwayFromZero) : null, list.TotalItems,
            list.Rows.Select(CostItemDto.From).ToList()));
    }

    private static async Task<IResult> SetAsync(CostItemKey item, CostInput? body, HttpContext http, StoreClock clock, CostCatalogue catalogue,
        CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ApiResults.BadRequest("Send a JSON body with unitCost and, optionally, validFrom (YYYY-MM-DD).");
        }
        var period = DatePreset.Default.RangeEndingOn(await clock.GetTodayAsync(cancellationToken));
        var change = await catalogue.SetAsync(item, body.UnitCost, body.ValidFrom, period, http.User.GetActor(), cancellationToken);
        if (change.Problems.ContainsKey("item"))
        {
            return ApiResults.NotFound(item.VariantId is { } id ? $"Variant {id}" : $"SKU {item.Sku}");
        }
        return change.Problems.Count > 0
            ? ApiResults.Unprocessable("invalid_cost", "The cost was not saved.", change.Problems)
            : ApiResults.Ok(CostItemDto.From(change.Row!));
    }
}
