using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class EntityTagConfiguration : IEntityTypeConfiguration<EntityTag>
{
    public void Configure(EntityTypeBuilder<EntityTag> builder)
    {
        builder.Property(x => x.EntityScope).HasMaxLength(16);
        builder.Property(x => x.Tag).HasMaxLength(EntityTag.MaxLength);
        builder.HasIndex(x => new { x.StoreId, x.EntityScope, x.EntityId, x.Tag }).IsUnique();
    }
}
