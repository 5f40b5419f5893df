using System.Globalization;
using System.Text.Json;
using AdIntel.Web.Brain.Recommendations;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Integrations.Shopify.Sync;
using AdIntel.Web.Reports.Scheduling;
using AdIntel.Web.Rules.Execution;
using Hangfire;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Integrations.Shopify.App;

/// <summary>
/// Shopify's mandatory privacy webhooks (docs/integrations.md#privacy-webhooks), carried out for real in the current store:
/// customers/data_request exports everything stored about the customer for the owner to download and send;
/// customers/redact removes the customer's personal data (the orders' money stays: the merchant's books need it);
/// shop/redact deletes the store and all its data. Audit summaries never contain personal data.
/// </summary>
public sealed class ShopifyCompliance(AdIntelDbContext db, IAuditLog audit, IRecurringJobManager recurringJobs, TimeProvider time)
{
    public const string DataRequestTopic = "customers/data_request";
    public const string RedactTopic = "customers/redact";
    public const string Actor = "Shopify (privacy request)";

    private static readonly JsonSerializerOptions ExportJson = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    /// <summary>customers/data_request: builds the export and keeps it as a <see cref="ComplianceRequest"/>; returns its id.</summary>
    public async Task<ComplianceRequest> ExportCustomerDataAsync(JsonElement payload, string shop, CancellationToken cancellationToken)
    {
        var subject = Subject.From(payload);
        var requestId = ShopifyRestPayloads.OptionalId(payload.TryGetProperty("data_request", out var dr) ? dr : default, "id");
        var customers = await FindCustomersAsync(subject, cancellationToken);
        var orders = await FindOrdersAsync(subject, customers, ShopifyRestPayloads.Ids(payload, "orders_requested"), includeChildren: true, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        var export = new
        {
            shop,
            generatedAtUtc = now,
            shopifyDataRequestId = requestId?.ToString(CultureInfo.InvariantCulture),
            customer = new { shopifyCustomerId = subject.CustomerId?.ToString(CultureInfo.InvariantCulture), subject.Email, subject.Phone },
            storedCustomers = customers.Select(c => new { c.ExternalId, c.Email, c.FirstName, c.LastName, c.CreatedAtUtc }),
            orders = orders.Select(o => new
            {
                shopifyOrderId = o.ExternalId,
                o.Name,
                o.Email,
                o.CreatedAtUtc,
                o.LocalDate,
                o.Currency,
                o.FinancialStatus,
                o.CancelledAtUtc,
                o.IsTest,
                o.SourceName,
                o.GrossSales,
                o.Discounts,
                o.Shipping,
                o.Taxes,
                o.Total,
                o.DiscountCode,
                lines = o.Lines.OrderBy(l => l.Id).Select(l => new { l.Sku, l.Title, l.Quantity, l.UnitPrice, l.Discount }),
                refunds = o.Refunds.OrderBy(r => r.CreatedAtUtc).Select(r => new { shopifyRefundId = r.ExternalId, r.CreatedAtUtc, r.Amount, r.ShippingRefunded, r.TaxRefunded }),
            }),
        };
        var request = new ComplianceRequest
        {
            Topic = DataRequestTopic,
            CustomerExternalId = subject.CustomerId?.ToString(CultureInfo.InvariantCulture),
            // The owner needs to know whom to send the export to; a later customers/redact clears it again.
            CustomerEmail = Truncate(subject.Email, 256),
            ShopifyRequestId = requestId?.ToString(CultureInfo.InvariantCulture),
            ResultJson = JsonSerializer.Serialize(export, ExportJson),
            ReceivedAtUtc = now,
            CompletedAtUtc = now,
        };
        db.ComplianceRequests.Add(request);
        audit.Record(new AuditChange("compliance.data_request", "compliance_request", requestId?.ToString(CultureInfo.InvariantCulture),
            $"Shopify asked for a customer's data{(requestId is null ? "" : $" (request {requestId})")}: exported {customers.Count} customer record(s) and {orders.Count} order(s); the owner can download the export."),
            actor: Actor);
        await db.SaveChangesAsync(cancellationToken);
        return request;
    }

    /// <summary>customers/redact: clears the customer's name and e-mail everywhere we keep them; amounts stay.</summary>
    public async Task<ComplianceRequest> RedactCustomerAsync(JsonElement payload, CancellationToken cancellationToken)
    {
        var subject = Subject.From(payload);
        var customers = await FindCustomersAsync(subject, cancellationToken, tracking: true);
        var orders = await FindOrdersAsync(subject, customers, ShopifyRestPayloads.Ids(payload, "orders_to_redact"), includeChildren: false, cancellationToken, tracking: true);
        foreach (var customer in customers)
        {
            customer.Email = null;
            customer.FirstName = null;
            customer.LastName = null;
            if (!IsShopifyId(customer.ExternalId))
            {
                // "email:<address>" keys are personal data themselves.
                customer.ExternalId = "redacted:" + customer.Id.ToString(CultureInfo.InvariantCulture);
            }
        }
        foreach (var order in orders)
        {
            order.Email = null;
        }
        var customerKey = subject.CustomerId?.ToString(CultureInfo.InvariantCulture);
        var exports = customerKey is null ? [] : await db.ComplianceRequests.AsTracking()
            .Where(r => r.Topic == DataRequestTopic && r.CustomerExternalId == customerKey).ToListAsync(cancellationToken);
        foreach (var export in exports)
        {
            export.CustomerEmail = null;
            export.ResultJson = JsonSerializer.Serialize(new { redacted = true, note = "The customer's data was redacted at Shopify's request; this export was removed with it." });
        }
        var now = time.GetUtcNow().UtcDateTime;
        var counts = new { customersRedacted = customers.Count, ordersRedacted = orders.Count, exportsRemoved = exports.Count };
        var request = new ComplianceRequest
        {
            Topic = RedactTopic,
            CustomerExternalId = customerKey,
            ResultJson = JsonSerializer.Serialize(counts, ExportJson),
            ReceivedAtUtc = now,
            CompletedAtUtc = now,
        };
        db.ComplianceRequests.Add(request);
        audit.Record(new AuditChange("compliance.customer_redacted", "compliance_request", customerKey,
            $"Shopify asked to redact a customer: personal data removed from {customers.Count} customer record(s) and {orders.Count} order(s); amounts kept.",
            After: counts), actor: Actor);
        await db.SaveChangesAsync(cancellationToken);
        return request;
    }

    /// <summary>
    /// shop/redact: deletes the store and every row it owns — through the database's cascades, and the orders, lines,
    /// refunds and customers, which have no foreign keys (<see cref="AdIntelDbContext.IsBulkLoaded"/>), explicitly in the
    /// same transaction — then the store's recurring jobs. Work already running for the store (a sync, a rule run, a facts
    /// rebuild, a webhook) cannot leave a row behind: the other store-owned tables have a foreign key to the store, and
    /// the bulk-loaded ones are written under a lock of the store's row, so the database refuses their writes once the
    /// store is gone, and the deletion waits for a batch being written. Webhook receipts are not store-owned and stay as
    /// the record that the request was honoured.
    /// </summary>
    public async Task<int> DeleteStoreAsync(long storeId, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        var reportSchedules = await db.ScheduledReports.IgnoreQueryFilters().Where(r => r.StoreId == storeId).Select(r => r.Id).ToListAsync(cancellationToken);
        var deleted = await db.Database.InTransactionAsync(async () =>
        {
            // The store's row first: it waits for the writers holding it, and from then on refuses new ones.
            var count = await db.Stores.Where(s => s.Id == storeId).ExecuteDeleteAsync(cancellationToken);
            await db.DeleteBulkLoadedRowsAsync(storeId, cancellationToken);
            return count;
        }, cancellationToken);
        recurringJobs.RemoveIfExists(IntegrationSchedules.JobId(storeId));
        foreach (var scheduleId in reportSchedules)
        {
            recurringJobs.RemoveIfExists(ScheduledReports.JobId(scheduleId));
        }
        return deleted;
    }

    private async Task<List<Customer>> FindCustomersAsync(Subject subject, CancellationToken cancellationToken, bool tracking = false)
    {
        var keys = new List<string>();
        if (subject.CustomerId is { } id)
        {
            keys.Add(ShopifyGid.ExternalId(id));
        }
        if (subject.Email is { Length: > 0 } email)
        {
            keys.Add("email:" + email.Trim().ToLowerInvariant());
        }
        var query = db.Customers.Where(c => keys.Contains(c.ExternalId));
        return await (tracking ? query.AsTracking() : query.AsNoTracking()).OrderBy(c => c.Id).ToListAsync(cancellationToken);
    }

    /// <summary>The customer's orders, the orders Shopify names, and guest orders placed with the customer's e-mail.</summary>
    private async Task<List<Order>> FindOrdersAsync(Subject subject, List<Customer> customers, List<long> named, bool includeChildren,
        CancellationToken cancellationToken, bool tracking = false)
    {
        var customerIds = customers.Select(c => c.Id).ToList();
        var orderKeys = named.Select(ShopifyGid.ExternalId).ToList();
        var email = subject.Email?.Trim();
        IQueryable<Order> query = db.Orders.Where(o =>
            (o.CustomerId != null && customerIds.Contains(o.CustomerId.Value)) || orderKeys.Contains(o.ExternalId)
            || (email != null && email != "" && o.Email != null && o.Email.ToLower() == email.ToLower()));
        var orders = await (tracking ? query.AsTracking() : query.AsNoTracking()).OrderBy(o => o.CreatedAtUtc).ThenBy(o => o.Id).ToListAsync(cancellationToken);
        return includeChildren ? await db.LoadLinesAndRefundsAsync(orders, cancellationToken) : orders;
    }

    private static bool IsShopifyId(string externalId) => externalId.Length > 0 && externalId.All(char.IsAsciiDigit);

    private static string? Truncate(string? value, int length) => value is null || value.Length <= length ? value : value[..length];

    /// <summary>Who a privacy request is about: Shopify's customer id, e-mail and phone.</summary>
    private sealed record Subject(long? CustomerId, string? Email, string? Phone)
    {
        public static Subject From(JsonElement payload)
        {
            if (payload.ValueKind != JsonValueKind.Object || !payload.TryGetProperty("customer", out var customer) || customer.ValueKind != JsonValueKind.Object)
            {
                throw new ShopifyPayloadException("The privacy request names no customer.");
            }
            var subject = new Subject(ShopifyRestPayloads.OptionalId(customer, "id"), ShopifyRestPayloads.Text(customer, "email"), ShopifyRestPayloads.Text(customer, "phone"));
            return subject.CustomerId is null && string.IsNullOrWhiteSpace(subject.Email)
                ? throw new ShopifyPayloadException("The privacy request names no customer id or e-mail.")
                : subject;
        }
    }
}
