using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class LlmUsageConfiguration : IEntityTypeConfiguration<LlmUsage>
{
    public void Configure(EntityTypeBuilder<LlmUsage> builder)
    {
        builder.ToTable("LlmUsage");
        builder.HasIndex(x => new { x.StoreId, x.Month }).IsUnique();
        builder.Ignore(x => x.TotalTokens);
    }
}
