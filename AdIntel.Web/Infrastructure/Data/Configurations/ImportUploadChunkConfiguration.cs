using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class ImportUploadChunkConfiguration : IEntityTypeConfiguration<ImportUploadChunk>
{
    public void Configure(EntityTypeBuilder<ImportUploadChunk> builder)
    {
        builder.HasIndex(x => new { x.UploadName, x.Sequence }).IsUnique();
        builder.HasIndex(x => x.CreatedAtUtc);
        builder.Property(x => x.UploadName).HasMaxLength(100);
    }
}
