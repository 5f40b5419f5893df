using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class StoreInvitationConfiguration : IEntityTypeConfiguration<StoreInvitation>
{
    public void Configure(EntityTypeBuilder<StoreInvitation> builder)
    {
        builder.HasIndex(x => x.TokenHash).IsUnique();
        builder.HasIndex(x => new { x.StoreId, x.Email });
        builder.Property(x => x.Email).HasMaxLength(256);
        builder.Property(x => x.TokenHash).HasMaxLength(64);
        builder.Property(x => x.InvitedBy).HasMaxLength(256);
    }
}
