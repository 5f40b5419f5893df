using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class AdCreativeConfiguration : IEntityTypeConfiguration<AdCreative>
{
    public void Configure(EntityTypeBuilder<AdCreative> builder)
    {
        builder.HasIndex(x => new { x.StoreId, x.AdId }).IsUnique();
        builder.HasIndex(x => x.AdId);
        builder.HasOne<Ad>().WithMany().HasForeignKey(x => x.AdId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(x => x.ExternalId).HasMaxLength(64);
        builder.Property(x => x.PrimaryText).HasMaxLength(AdCreative.MaxTextLength);
        builder.Property(x => x.Headline).HasMaxLength(AdCreative.MaxTextLength);
        builder.Property(x => x.Description).HasMaxLength(AdCreative.MaxTextLength);
        builder.Property(x => x.CallToAction).HasMaxLength(64);
        builder.Property(x => x.Format).HasMaxLength(16);
        builder.Property(x => x.ThumbnailUrl).HasMaxLength(AdCreative.MaxUrlLength);
        builder.Property(x => x.Link).HasMaxLength(AdCreative.MaxUrlLength);
    }
}
