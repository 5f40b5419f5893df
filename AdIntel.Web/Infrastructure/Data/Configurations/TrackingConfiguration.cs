using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class TrackingDatasetConfiguration : IEntityTypeConfiguration<TrackingDataset>
{
    public void Configure(EntityTypeBuilder<TrackingDataset> builder)
    {
        // One dataset per store: the sync replaces it.
        builder.HasIndex(x => x.StoreId).IsUnique();
        builder.Property(x => x.DatasetId).HasMaxLength(64);
        builder.Property(x => x.Name).HasMaxLength(300);
        builder.Property(x => x.MatchKeysJson).HasMaxLength(4000);
        builder.Property(x => x.TestEventCode).HasMaxLength(64);
    }
}

public sealed class TrackingEventDayConfiguration : IEntityTypeConfiguration<TrackingEventDay>
{
    public void Configure(EntityTypeBuilder<TrackingEventDay> builder)
    {
        builder.HasIndex(x => new { x.StoreId, x.EventName, x.Date }).IsUnique();
        builder.Property(x => x.EventName).HasMaxLength(64);
    }
}
