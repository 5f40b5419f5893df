using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Jobs;
using AdIntel.Web.Infrastructure.Options;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Integrations.Sync;

/// <summary>Records sync runs (<see cref="RunRecorder{TRun}"/>); an interrupted one resumes from its checkpoint with the next sync.</summary>
public sealed class SyncRunRecorder(AdIntelDbContext db, IServiceScopeFactory scopes, IOptions<JobsOptions> options, TimeProvider time,
    ILogger<SyncRunRecorder> logger) : RunRecorder<SyncRun>(db, scopes, options, time, logger)
{
    public const string InterruptedMessage = "The app stopped before this sync finished; the next sync resumes from where it got to.";

    public override string Name => "syncs";

    protected override void DescribeInterruption(UpdateSettersBuilder<SyncRun> set) => set.SetProperty(r => r.Error, InterruptedMessage);
}
