using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class CompetitorConfiguration : IEntityTypeConfiguration<Competitor>
{
    public void Configure(EntityTypeBuilder<Competitor> builder)
    {
        builder.HasIndex(x => new { x.StoreId, x.Name }).IsUnique();
        builder.Property(x => x.Name).HasMaxLength(100);
        builder.Property(x => x.AdStatus).HasMaxLength(16);
        builder.Property(x => x.LastSyncError).HasMaxLength(1000);
    }
}

public sealed class CompetitorAdConfiguration : IEntityTypeConfiguration<CompetitorAd>
{
    public void Configure(EntityTypeBuilder<CompetitorAd> builder)
    {
        // One row per competitor and Library id: the sync upserts by it.
        builder.HasIndex(x => new { x.StoreId, x.CompetitorId, x.ArchiveId }).IsUnique();
        builder.HasOne<Competitor>().WithMany().HasForeignKey(x => x.CompetitorId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(x => x.ArchiveId).HasMaxLength(64);
        builder.Property(x => x.PageId).HasMaxLength(64);
        builder.Property(x => x.PageName).HasMaxLength(300);
        builder.Property(x => x.SnapshotUrl).HasMaxLength(500);
    }
}
