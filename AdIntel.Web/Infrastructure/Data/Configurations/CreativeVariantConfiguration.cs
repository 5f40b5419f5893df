using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class CreativeVariantConfiguration : IEntityTypeConfiguration<CreativeVariant>
{
    public void Configure(EntityTypeBuilder<CreativeVariant> builder)
    {
        // Lists page newest first, optionally by origin.
        builder.HasIndex(x => new { x.StoreId, x.Origin, x.Id });
        builder.Property(x => x.Product).HasMaxLength(CreativeVariant.MaxProductLength);
        builder.Property(x => x.Angle).HasMaxLength(32);
        builder.Property(x => x.Format).HasMaxLength(16);
        builder.Property(x => x.PrimaryText).HasMaxLength(AdCreative.MaxTextLength);
        builder.Property(x => x.Headline).HasMaxLength(AdCreative.MaxTextLength);
        builder.Property(x => x.Description).HasMaxLength(AdCreative.MaxTextLength);
        builder.Property(x => x.CallToAction).HasMaxLength(64);
        builder.Property(x => x.Link).HasMaxLength(AdCreative.MaxUrlLength);
        builder.Property(x => x.Origin).HasMaxLength(16);
        builder.Property(x => x.ComplianceSummary).HasMaxLength(CreativeVariant.MaxSummaryLength);
        builder.Property(x => x.CreatedBy).HasMaxLength(CreativeVariant.MaxActorLength);
        builder.Property(x => x.UpdatedBy).HasMaxLength(CreativeVariant.MaxActorLength);
    }
}
