using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Infrastructure.Data.Configurations;

/// <summary>
/// Every entity's configuration, one class per entity in this folder. Listed, not found by scanning the assembly: a
/// scan loads every type of the app at start, and with them the Roslyn assemblies the C# rule scripts' compiler builds
/// on, into every process, whether scripts are on or not. ArchitectureTests check that no configuration is missing here.
/// </summary>
internal static class EntityConfigurations
{
    public static void ApplyAll(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfiguration(new ActionRecordConfiguration());
        modelBuilder.ApplyConfiguration(new AdAccountConfiguration());
        modelBuilder.ApplyConfiguration(new AdConfiguration());
        modelBuilder.ApplyConfiguration(new AdCreativeConfiguration());
        modelBuilder.ApplyConfiguration(new AdInsightDailyConfiguration());
        modelBuilder.ApplyConfiguration(new AdSetConfiguration());
        modelBuilder.ApplyConfiguration(new AlertConfiguration());
        modelBuilder.ApplyConfiguration(new ApiTokenConfiguration());
        modelBuilder.ApplyConfiguration(new AppUserConfiguration());
        modelBuilder.ApplyConfiguration(new AuditEntryConfiguration());
        modelBuilder.ApplyConfiguration(new CampaignConfiguration());
        modelBuilder.ApplyConfiguration(new CompetitorAdConfiguration());
        modelBuilder.ApplyConfiguration(new CompetitorConfiguration());
        modelBuilder.ApplyConfiguration(new ComplianceRequestConfiguration());
        modelBuilder.ApplyConfiguration(new CreativeVariantConfiguration());
        modelBuilder.ApplyConfiguration(new CustomerConfiguration());
        modelBuilder.ApplyConfiguration(new DailyStoreFactsConfiguration());
        modelBuilder.ApplyConfiguration(new EntityTagConfiguration());
        modelBuilder.ApplyConfiguration(new ImportRunConfiguration());
        modelBuilder.ApplyConfiguration(new ImportUploadChunkConfiguration());
        modelBuilder.ApplyConfiguration(new IntegrationConnectionConfiguration());
        modelBuilder.ApplyConfiguration(new LlmUsageConfiguration());
        modelBuilder.ApplyConfiguration(new LtvFitConfiguration());
        modelBuilder.ApplyConfiguration(new NotificationChannelConfiguration());
        modelBuilder.ApplyConfiguration(new NotificationDeliveryConfiguration());
        modelBuilder.ApplyConfiguration(new NotificationPreferencesConfiguration());
        modelBuilder.ApplyConfiguration(new OrderConfiguration());
        modelBuilder.ApplyConfiguration(new OrderLineConfiguration());
        modelBuilder.ApplyConfiguration(new ProductConfiguration());
        modelBuilder.ApplyConfiguration(new ProductCostConfiguration());
        modelBuilder.ApplyConfiguration(new ProductVariantConfiguration());
        modelBuilder.ApplyConfiguration(new RateLimitCounterConfiguration());
        modelBuilder.ApplyConfiguration(new RecommendationRecordConfiguration());
        modelBuilder.ApplyConfiguration(new RefundConfiguration());
        modelBuilder.ApplyConfiguration(new RuleConfiguration());
        modelBuilder.ApplyConfiguration(new RuleExecutionConfiguration());
        modelBuilder.ApplyConfiguration(new ScheduledReportConfiguration());
        modelBuilder.ApplyConfiguration(new StoreConfiguration());
        modelBuilder.ApplyConfiguration(new StoreInvitationConfiguration());
        modelBuilder.ApplyConfiguration(new StoreMemberConfiguration());
        modelBuilder.ApplyConfiguration(new StoreSettingsConfiguration());
        modelBuilder.ApplyConfiguration(new SyncRunConfiguration());
        modelBuilder.ApplyConfiguration(new TrackingDatasetConfiguration());
        modelBuilder.ApplyConfiguration(new TrackingEventDayConfiguration());
        modelBuilder.ApplyConfiguration(new UserClaimConfiguration());
        modelBuilder.ApplyConfiguration(new UserLoginConfiguration());
        modelBuilder.ApplyConfiguration(new UserTokenConfiguration());
        modelBuilder.ApplyConfiguration(new WebhookReceiptConfiguration());
    }
}
