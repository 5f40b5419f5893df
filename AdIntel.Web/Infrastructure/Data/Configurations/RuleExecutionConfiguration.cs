using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class RuleExecutionConfiguration : IEntityTypeConfiguration<RuleExecution>
{
    public void Configure(EntityTypeBuilder<RuleExecution> builder)
    {
        builder.HasIndex(x => new { x.StoreId, x.RuleId, x.StartedAtUtc });
        builder.HasIndex(x => new { x.StoreId, x.RuleId, x.SlotStartUtc });
        builder.Property(x => x.Trigger).HasMaxLength(16);
        builder.Property(x => x.Status).HasMaxLength(16);
        builder.Property(x => x.Message).HasMaxLength(1000);
    }
}
