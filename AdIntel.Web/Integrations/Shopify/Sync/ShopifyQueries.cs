namespace AdIntel.Web.Integrations.Shopify.Sync;

/// <summary>
/// The GraphQL documents the sync sends (docs/integrations.md#graphql-admin-api, #bulk-operations). Page sizes keep each query's requested cost under
/// Shopify's single-query limit of 1000 (objects 1, connections 2 + first × node): an order page of 5 with up to 15
/// lines and refunds' lines and shipping lines costs 997. Orders whose lines or refund lines do not fit a page are read
/// again by a bulk operation, which has no such limits.
/// </summary>
internal static class ShopifyQueries
{
    public const int OrderPageSize = 5;
    public const int ProductPageSize = 10;
    public const int CustomerPageSize = 250;

    private const string Money = "{ shopMoney { amount } }";

    /// <summary>The fields of an order, in bulk form (connections without <c>first</c>, <c>edges { node }</c>).</summary>
    private const string OrderFields = $$"""
        id name email createdAt updatedAt cancelledAt test sourceName currencyCode displayFinancialStatus discountCode
        totalPriceSet {{Money}} totalDiscountsSet {{Money}} totalTaxSet {{Money}} totalShippingPriceSet {{Money}}
        customer { id email firstName lastName createdAt }
        """;

    private const string LineFields = $$"""id name sku quantity originalUnitPriceSet {{Money}} totalDiscountSet {{Money}} variant { id inventoryItem { unitCost { amount } } }""";
    private const string RefundLineFields = $$"""id subtotalSet {{Money}} totalTaxSet {{Money}}""";
    private const string RefundShippingFields = $$"""id subtotalAmountSet {{Money}} taxAmountSet {{Money}}""";

    public const string OrdersPage = $$"""
        query Orders($first: Int!, $after: String, $q: String) {
          orders(first: $first, after: $after, query: $q, sortKey: UPDATED_AT) {
            pageInfo { hasNextPage endCursor }
            nodes {
              {{OrderFields}}
              lineItems(first: 15) { pageInfo { hasNextPage } nodes { {{LineFields}} } }
              refunds {
                id createdAt totalRefundedSet {{Money}}
                refundLineItems(first: 10) { pageInfo { hasNextPage } nodes { {{RefundLineFields}} } }
                refundShippingLines(first: 2) { pageInfo { hasNextPage } nodes { {{RefundShippingFields}} } }
              }
            }
          }
        }
        """;

    public const string OrdersCount = """
        query OrdersCount($q: String) { ordersCount(query: $q) { count precision } }
        """;

    public const string ProductsPage = """
        query Products($first: Int!, $after: String, $q: String) {
          products(first: $first, after: $after, query: $q, sortKey: UPDATED_AT) {
            pageInfo { hasNextPage endCursor }
            nodes {
              id title productType vendor updatedAt
              variants(first: 20) { pageInfo { hasNextPage } nodes { id title sku price inventoryItem { unitCost { amount } } } }
            }
          }
        }
        """;

    public const string CustomersPage = """
        query Customers($first: Int!, $after: String, $q: String) {
          customers(first: $first, after: $after, query: $q, sortKey: UPDATED_AT) {
            pageInfo { hasNextPage endCursor }
            nodes { id email firstName lastName createdAt updatedAt }
          }
        }
        """;

    /// <summary>All orders (matching <paramref name="search"/>) with lines, refunds and their lines, for a bulk operation.</summary>
    public static string BulkOrders(string? search) => $$"""
        {
          orders{{SearchArgument(search)}} {
            edges { node {
              {{OrderFields}}
              lineItems { edges { node { {{LineFields}} } } }
              refunds {
                id createdAt totalRefundedSet {{Money}}
                refundLineItems { edges { node { {{RefundLineFields}} } } }
                refundShippingLines { edges { node { {{RefundShippingFields}} } } }
              }
            } }
          }
        }
        """;

    public static string BulkProducts(string? search) => $$"""
        {
          products{{SearchArgument(search)}} {
            edges { node {
              id title productType vendor updatedAt
              variants { edges { node { id title sku price inventoryItem { unitCost { amount } } } } }
            } }
          }
        }
        """;

    public static string BulkCustomers(string? search) => $$"""
        {
          customers{{SearchArgument(search)}} {
            edges { node { id email firstName lastName createdAt updatedAt } }
          }
        }
        """;

    public const string BulkRun = """
        mutation BulkRun($query: String!) {
          bulkOperationRunQuery(query: $query) {
            bulkOperation { id status }
            userErrors { field message code }
          }
        }
        """;

    public const string BulkPoll = """
        query BulkPoll($id: ID!) {
          bulkOperation(id: $id) { id status errorCode objectCount rootObjectCount url partialDataUrl query }
        }
        """;

    public const string BulkCurrent = """
        query BulkCurrent { currentBulkOperation(type: QUERY) { id status errorCode objectCount rootObjectCount url query } }
        """;

    /// <summary>A search string inside a bulk query is a GraphQL string literal: quotes and backslashes escaped.</summary>
    private static string SearchArgument(string? search) =>
        string.IsNullOrEmpty(search) ? "" : "(query: \"" + search.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\")";

    /// <summary>Shopify search syntax for "changed at or after": <c>updated_at:&gt;='2026-01-01T00:00:00Z'</c>.</summary>
    public static string UpdatedSince(DateTimeOffset since) =>
        "updated_at:>='" + since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture) + "'";

    /// <summary>Shopify search syntax for a list of ids: <c>id:1 OR id:2</c>.</summary>
    public static string Ids(IEnumerable<long> ids) =>
        string.Join(" OR ", ids.Select(id => "id:" + id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
