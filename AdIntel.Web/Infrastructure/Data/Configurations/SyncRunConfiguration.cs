using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class SyncRunConfiguration : IEntityTypeConfiguration<SyncRun>
{
    public void Configure(EntityTypeBuilder<SyncRun> builder)
    {
        builder.HasIndex(x => new { x.StoreId, x.ConnectionId, x.StartedAtUtc });
        // One running run per connection and sync: two starting at the same moment cannot both run (RunRecorder.StartAsync).
        builder.HasIndex(x => new { x.ConnectionId, x.Sync }).IsUnique().HasFilter("\"Status\" = 'running'");
        builder.Property(x => x.Sync).HasMaxLength(32);
        builder.Property(x => x.Kind).HasMaxLength(16);
        builder.Property(x => x.Status).HasMaxLength(16);
        builder.Property(x => x.Phase).HasMaxLength(200);
        builder.Property(x => x.Error).HasMaxLength(2000);
        builder.HasOne<IntegrationConnection>().WithMany().HasForeignKey(x => x.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}
