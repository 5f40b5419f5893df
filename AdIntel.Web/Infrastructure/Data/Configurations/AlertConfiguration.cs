using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> builder)
    {
        builder.HasIndex(x => new { x.StoreId, x.Status, x.LastSeenAtUtc });
        // At most one active alert per condition (resolved and dismissed ones keep a null key; nulls never collide).
        builder.HasIndex(x => new { x.StoreId, x.ActiveKey }).IsUnique();
        builder.Property(x => x.Source).HasMaxLength(32);
        builder.Property(x => x.Type).HasMaxLength(64);
        builder.Property(x => x.ConditionKey).HasMaxLength(200);
        builder.Property(x => x.ActiveKey).HasMaxLength(200);
        builder.Property(x => x.Severity).HasMaxLength(16);
        builder.Property(x => x.EntityType).HasMaxLength(32);
        builder.Property(x => x.EntityName).HasMaxLength(300);
        builder.Property(x => x.Title).HasMaxLength(300);
        builder.Property(x => x.Status).HasMaxLength(16);
        builder.Property(x => x.UpdatedBy).HasMaxLength(256);
    }
}
