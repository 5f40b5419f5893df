using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class ActionRecordConfiguration : IEntityTypeConfiguration<ActionRecord>
{
    public void Configure(EntityTypeBuilder<ActionRecord> builder)
    {
        // The idempotency key: a retried run (or two instances running the same slot) cannot insert the same action twice.
        builder.HasIndex(x => new { x.StoreId, x.IdempotencyKey }).IsUnique();
        builder.HasIndex(x => new { x.StoreId, x.Status, x.CreatedAtUtc });
        builder.HasIndex(x => new { x.StoreId, x.EntityScope, x.EntityId, x.ExecutedAtUtc });
        builder.HasIndex(x => new { x.StoreId, x.RuleId, x.CreatedAtUtc });
        builder.Property(x => x.Source).HasMaxLength(16);
        builder.Property(x => x.EntityScope).HasMaxLength(16);
        builder.Property(x => x.Type).HasMaxLength(32);
        builder.Property(x => x.RiskLevel).HasMaxLength(16);
        builder.Property(x => x.Status).HasMaxLength(32);
        builder.Property(x => x.Reason).HasMaxLength(2000);
        builder.Property(x => x.StatusBefore).HasMaxLength(16);
        builder.Property(x => x.StatusAfter).HasMaxLength(16);
        builder.Property(x => x.IdempotencyKey).HasMaxLength(200);
        builder.Property(x => x.DecidedBy).HasMaxLength(256);
        builder.Property(x => x.UndoneBy).HasMaxLength(256);
        builder.HasOne<Rule>().WithMany().HasForeignKey(x => x.RuleId).OnDelete(DeleteBehavior.SetNull);
    }
}
