using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class LtvFitConfiguration : IEntityTypeConfiguration<LtvFit>
{
    public void Configure(EntityTypeBuilder<LtvFit> builder)
    {
        builder.ToTable("LtvFits");
        // One stored fit per store: a new fit replaces it.
        builder.HasIndex(x => x.StoreId).IsUnique();
        builder.Property(x => x.State).HasMaxLength(16);
        builder.Property(x => x.Stage).HasMaxLength(200);
        builder.Property(x => x.Error).HasMaxLength(2000);
        builder.Property(x => x.DataVersion).HasMaxLength(400);
        builder.Property(x => x.AttemptVersion).HasMaxLength(420);
    }
}
