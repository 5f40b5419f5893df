using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class RecommendationRecordConfiguration : IEntityTypeConfiguration<RecommendationRecord>
{
    public void Configure(EntityTypeBuilder<RecommendationRecord> builder)
    {
        // One row per store and key: recomputation updates it, so a dismissal or snooze stays with the recommendation.
        builder.HasIndex(x => new { x.StoreId, x.Key }).IsUnique();
        builder.Property(x => x.Key).HasMaxLength(200);
        builder.Property(x => x.Type).HasMaxLength(16);
        builder.Property(x => x.Priority).HasMaxLength(16);
        builder.Property(x => x.DismissedBy).HasMaxLength(256);
        builder.Property(x => x.SnoozedBy).HasMaxLength(256);
    }
}
