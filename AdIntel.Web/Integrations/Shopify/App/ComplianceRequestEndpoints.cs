using System.Text;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Integrations.Shopify.App;

/// <summary>
/// The store's privacy requests from Shopify, for its owner (they hold customers' personal data): the list, one
/// request with its result, and the data export as a JSON file to send to the customer. Read-only and store-scoped (the
/// query filter; another store's id is a 404).
/// </summary>
public static class ComplianceRequestEndpoints
{
    public sealed record ComplianceRequestDto(long Id, string Topic, string? CustomerShopifyId, string? CustomerEmail, string? ShopifyRequestId,
        DateTime ReceivedAtUtc, DateTime? CompletedAtUtc, string DownloadUrl);

    public static RouteGroupBuilder MapComplianceRequestEndpoints(this RouteGroupBuilder api)
    {
        var requests = api.MapGroup(ShopifyAppPaths.ComplianceRequests["/api".Length..])
            .RequireAuthorization(Policies.Owner);
        requests.MapGet("", ListAsync);
        requests.MapGet("/{id:long}", GetAsync);
        requests.MapGet("/{id:long}/download", DownloadAsync);
        return api;
    }

    private static async Task<IResult> ListAsync(AdIntelDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.ComplianceRequests.AsNoTracking().OrderByDescending(r => r.ReceivedAtUtc).ThenByDescending(r => r.Id)
            .Select(r => new ComplianceRequestDto(r.Id, r.Topic, r.CustomerExternalId, r.CustomerEmail, r.ShopifyRequestId, r.ReceivedAtUtc,
                r.CompletedAtUtc, ShopifyAppPaths.ComplianceRequests + "/" + r.Id + "/download"))
            .Take(500).ToListAsync(cancellationToken);
        return ApiResults.List(rows);
    }

    private static async Task<IResult> GetAsync(long id, AdIntelDbContext db, CancellationToken cancellationToken)
    {
        var request = await db.ComplianceRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null)
        {
            return ApiResults.NotFound("The privacy request");
        }
        using var result = System.Text.Json.JsonDocument.Parse(request.ResultJson);
        return ApiResults.Ok(new
        {
            request = new ComplianceRequestDto(request.Id, request.Topic, request.CustomerExternalId, request.CustomerEmail, request.ShopifyRequestId,
                request.ReceivedAtUtc, request.CompletedAtUtc, $"{ShopifyAppPaths.ComplianceRequests}/{request.Id}/download"),
            result = result.RootElement.Clone(),
        });
    }

    private static async Task<IResult> DownloadAsync(long id, AdIntelDbContext db, CancellationToken cancellationToken)
    {
        var request = await db.ComplianceRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (request is null)
        {
            return ApiResults.NotFound("The privacy request");
        }
        var name = $"{request.Topic.Replace('/', '-')}-{request.Id}-{request.ReceivedAtUtc:yyyyMMdd}.json";
        return Results.File(Encoding.UTF8.GetBytes(request.ResultJson), "application/json", name);
    }
}
