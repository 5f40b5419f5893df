using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class RuleConfiguration : IEntityTypeConfiguration<Rule>
{
    public void Configure(EntityTypeBuilder<Rule> builder)
    {
        builder.HasIndex(x => x.StoreId);
        builder.Property(x => x.Kind).HasMaxLength(16);
        builder.Property(x => x.PluginId).HasMaxLength(100);
    }
}
