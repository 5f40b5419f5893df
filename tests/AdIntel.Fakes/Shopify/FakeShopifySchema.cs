namespace AdIntel.Fakes.Shopify;

/// <summary>The part of the Admin API schema the fake serves (names and kinds as in Shopify's schema, 2026).</summary>
internal static class FakeShopifySchema
{
    public enum Kind { Scalar, Object, List, Connection }

    public sealed record FieldType(Kind Kind, string? Type = null);

    private static readonly FieldType S = new(Kind.Scalar);
    private static FieldType O(string type) => new(Kind.Object, type);
    private static FieldType L(string type) => new(Kind.List, type);
    private static FieldType C(string type) => new(Kind.Connection, type);

    private static readonly FieldType MoneyBag = O("MoneyBag");

    public static readonly Dictionary<string, Dictionary<string, FieldType>> Types = new()
    {
        ["QueryRoot"] = new()
        {
            ["orders"] = C("Order"), ["order"] = O("Order"), ["ordersCount"] = O("Count"), ["customers"] = C("Customer"),
            ["products"] = C("Product"), ["bulkOperation"] = O("BulkOperation"), ["currentBulkOperation"] = O("BulkOperation"),
            ["node"] = O("Node"), ["shop"] = O("Shop"),
        },
        ["Mutation"] = new()
        {
            ["bulkOperationRunQuery"] = O("BulkOperationRunQueryPayload"), ["bulkOperationCancel"] = O("BulkOperationCancelPayload"),
        },
        ["Order"] = new()
        {
            ["id"] = S, ["legacyResourceId"] = S, ["name"] = S, ["email"] = S, ["createdAt"] = S, ["updatedAt"] = S, ["processedAt"] = S,
            ["cancelledAt"] = S, ["cancelReason"] = S, ["test"] = S, ["sourceName"] = S, ["currencyCode"] = S, ["presentmentCurrencyCode"] = S,
            ["displayFinancialStatus"] = S, ["discountCode"] = S,
            ["totalPriceSet"] = MoneyBag, ["subtotalPriceSet"] = MoneyBag, ["totalDiscountsSet"] = MoneyBag, ["totalTaxSet"] = MoneyBag,
            ["totalShippingPriceSet"] = MoneyBag, ["totalRefundedSet"] = MoneyBag, ["totalRefundedShippingSet"] = MoneyBag,
            ["currentTotalPriceSet"] = MoneyBag, ["currentSubtotalPriceSet"] = MoneyBag, ["currentTotalTaxSet"] = MoneyBag,
            ["currentTotalDiscountsSet"] = MoneyBag, ["netPaymentSet"] = MoneyBag,
            ["customer"] = O("Customer"), ["lineItems"] = C("LineItem"), ["refunds"] = L("Refund"),
        },
        ["MoneyBag"] = new() { ["shopMoney"] = O("MoneyV2"), ["presentmentMoney"] = O("MoneyV2") },
        ["MoneyV2"] = new() { ["amount"] = S, ["currencyCode"] = S },
        ["LineItem"] = new()
        {
            ["id"] = S, ["name"] = S, ["title"] = S, ["sku"] = S, ["quantity"] = S, ["currentQuantity"] = S,
            ["originalUnitPriceSet"] = MoneyBag, ["discountedUnitPriceAfterAllDiscountsSet"] = MoneyBag, ["totalDiscountSet"] = MoneyBag,
            ["variant"] = O("ProductVariant"),
        },
        ["ProductVariant"] = new()
        {
            ["id"] = S, ["legacyResourceId"] = S, ["title"] = S, ["displayName"] = S, ["sku"] = S, ["price"] = S,
            ["product"] = O("Product"), ["inventoryItem"] = O("InventoryItem"),
        },
        ["InventoryItem"] = new() { ["id"] = S, ["sku"] = S, ["unitCost"] = O("MoneyV2") },
        ["Refund"] = new()
        {
            ["id"] = S, ["createdAt"] = S, ["totalRefundedSet"] = MoneyBag,
            ["refundLineItems"] = C("RefundLineItem"), ["refundShippingLines"] = C("RefundShippingLine"),
        },
        ["RefundLineItem"] = new() { ["id"] = S, ["quantity"] = S, ["subtotalSet"] = MoneyBag, ["totalTaxSet"] = MoneyBag, ["lineItem"] = O("LineItem") },
        ["RefundShippingLine"] = new() { ["id"] = S, ["subtotalAmountSet"] = MoneyBag, ["taxAmountSet"] = MoneyBag },
        ["Customer"] = new()
        {
            ["id"] = S, ["legacyResourceId"] = S, ["email"] = S, ["firstName"] = S, ["lastName"] = S, ["createdAt"] = S, ["updatedAt"] = S,
            ["numberOfOrders"] = S, ["amountSpent"] = O("MoneyV2"),
        },
        ["Product"] = new()
        {
            ["id"] = S, ["legacyResourceId"] = S, ["title"] = S, ["productType"] = S, ["vendor"] = S, ["updatedAt"] = S, ["variants"] = C("ProductVariant"),
        },
        ["BulkOperation"] = new()
        {
            ["id"] = S, ["status"] = S, ["errorCode"] = S, ["createdAt"] = S, ["completedAt"] = S, ["objectCount"] = S, ["rootObjectCount"] = S,
            ["fileSize"] = S, ["url"] = S, ["partialDataUrl"] = S, ["type"] = S, ["query"] = S,
        },
        ["BulkOperationRunQueryPayload"] = new() { ["bulkOperation"] = O("BulkOperation"), ["userErrors"] = L("UserError") },
        ["BulkOperationCancelPayload"] = new() { ["bulkOperation"] = O("BulkOperation"), ["userErrors"] = L("UserError") },
        ["UserError"] = new() { ["field"] = S, ["message"] = S, ["code"] = S },
        ["Shop"] = new() { ["name"] = S, ["currencyCode"] = S, ["ianaTimezone"] = S, ["myshopifyDomain"] = S },
        ["Count"] = new() { ["count"] = S, ["precision"] = S },
        ["Node"] = new() { ["id"] = S },
        ["PageInfo"] = new() { ["hasNextPage"] = S, ["hasPreviousPage"] = S, ["startCursor"] = S, ["endCursor"] = S },
    };

    /// <summary>Types a <c>node(id:)</c> can be (the fake only looks bulk operations up by node).</summary>
    public static readonly HashSet<string> NodeTypes = ["BulkOperation"];
}
