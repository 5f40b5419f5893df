using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Integrations.Shopify.Sync;

/// <summary>
/// Stores Shopify products and their variants (with <c>inventoryItem.unitCost</c>, the cost of goods the profit metrics
/// use) in the current store, as upserts keyed by Shopify's ids. Variants Shopify no longer lists are kept: past order
/// lines still point at them. Used by the sync and by the products/update webhook.
/// </summary>
public sealed class ShopifyProductWriter(AdIntelDbContext db)
{
    private const int QueryChunk = 250;

    public async Task<ShopifyWriteResult> UpsertAsync(IReadOnlyList<ShopifyProductRecord> products, CancellationToken cancellationToken)
    {
        if (products.Count == 0)
        {
            return ShopifyWriteResult.None;
        }
        var latest = products.GroupBy(p => p.Id).Select(g => g.Last()).ToList();
        var ownTransaction = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var stored = new Dictionary<string, Product>(StringComparer.Ordinal);
            foreach (var chunk in latest.Select(p => ShopifyGid.ExternalId(p.Id)).Chunk(QueryChunk))
            {
                foreach (var product in await db.Products.AsTracking().Where(p => chunk.Contains(p.ExternalId)).ToListAsync(cancellationToken))
                {
                    stored[product.ExternalId] = product;
                }
            }
            var variants = new Dictionary<string, ProductVariant>(StringComparer.Ordinal);
            foreach (var chunk in latest.SelectMany(p => p.Variants).Select(v => ShopifyGid.ExternalId(v.Id)).Chunk(QueryChunk))
            {
                foreach (var variant in await db.ProductVariants.AsTracking().Where(v => chunk.Contains(v.ExternalId)).ToListAsync(cancellationToken))
                {
                    variants[variant.ExternalId] = variant;
                }
            }

            var createdProducts = new List<Product>();
            int created = 0, updated = 0, unchanged = 0;
            foreach (var record in latest)
            {
                if (!stored.TryGetValue(ShopifyGid.ExternalId(record.Id), out var product))
                {
                    product = new Product { ExternalId = ShopifyGid.ExternalId(record.Id), Title = record.Title };
                    createdProducts.Add(product);
                    created++;
                }
                else if (product.Title == record.Title && product.ProductType == record.ProductType && product.Vendor == record.Vendor
                    && record.Variants.All(v => variants.TryGetValue(ShopifyGid.ExternalId(v.Id), out var known) && Same(known, v, product.Id)))
                {
                    unchanged++;
                }
                else
                {
                    updated++;
                }
                product.Title = record.Title;
                product.ProductType = record.ProductType;
                product.Vendor = record.Vendor;
            }
            await db.SaveChangesAsync(cancellationToken);
            await BulkWriter.InsertAsync(db, createdProducts, cancellationToken);

            var productIds = stored.Values.Concat(createdProducts).ToDictionary(p => p.ExternalId, p => p.Id, StringComparer.Ordinal);
            var createdVariants = new List<ProductVariant>();
            foreach (var record in latest)
            {
                var productId = productIds[ShopifyGid.ExternalId(record.Id)];
                foreach (var v in record.Variants)
                {
                    if (!variants.TryGetValue(ShopifyGid.ExternalId(v.Id), out var variant))
                    {
                        variant = new ProductVariant { ExternalId = ShopifyGid.ExternalId(v.Id), Title = v.Title };
                        createdVariants.Add(variant);
                        variants[variant.ExternalId] = variant;
                    }
                    variant.ProductId = productId;
                    variant.Title = v.Title;
                    variant.Sku = string.IsNullOrEmpty(v.Sku) ? null : v.Sku;
                    variant.Price = v.Price;
                    variant.UnitCost = v.UnitCost;
                }
            }
            await db.SaveChangesAsync(cancellationToken);
            await BulkWriter.InsertAsync(db, createdVariants, cancellationToken);
            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken);
            }
            foreach (var entity in stored.Values.Cast<object>().Concat(variants.Values.Except(createdVariants)))
            {
                db.Entry(entity).State = EntityState.Detached;
            }
            return new ShopifyWriteResult(created, updated, unchanged);
        }
        finally
        {
            if (ownTransaction is not null)
            {
                await ownTransaction.DisposeAsync();
            }
        }
    }

    private static bool Same(ProductVariant stored, ShopifyVariantRecord record, long productId) =>
        stored.ProductId == productId && stored.Title == record.Title && stored.Sku == (string.IsNullOrEmpty(record.Sku) ? null : record.Sku)
        && stored.Price == record.Price && stored.UnitCost == record.UnitCost;
}
