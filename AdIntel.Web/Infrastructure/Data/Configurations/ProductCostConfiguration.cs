using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class ProductCostConfiguration : IEntityTypeConfiguration<ProductCost>
{
    public void Configure(EntityTypeBuilder<ProductCost> builder)
    {
        builder.Property(x => x.Sku).HasMaxLength(255);
        builder.Property(x => x.Source).HasMaxLength(16);
        builder.Property(x => x.EnteredBy).HasMaxLength(320);
        builder.HasIndex(x => new { x.StoreId, x.VariantId, x.EffectiveFrom });
        builder.HasIndex(x => new { x.StoreId, x.Sku, x.EffectiveFrom });
        builder.HasOne<ProductVariant>().WithMany().HasForeignKey(x => x.VariantId).OnDelete(DeleteBehavior.Cascade);
        builder.ToTable(t => t.HasCheckConstraint("CK_ProductCosts_Item", "\"VariantId\" IS NOT NULL OR \"Sku\" IS NOT NULL"));
    }
}
