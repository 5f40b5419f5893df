using AdIntel.Web.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

public sealed class ScheduledReportConfiguration : IEntityTypeConfiguration<ScheduledReport>
{
    public void Configure(EntityTypeBuilder<ScheduledReport> builder)
    {
        builder.HasIndex(x => x.StoreId);
        builder.Property(x => x.Report).HasMaxLength(32);
        builder.Property(x => x.Format).HasMaxLength(8);
        builder.Property(x => x.Frequency).HasMaxLength(16);
        builder.Property(x => x.Recipient).HasMaxLength(256);
        builder.Property(x => x.CreatedBy).HasMaxLength(256);
        builder.Property(x => x.LastError).HasMaxLength(1000);
    }
}
