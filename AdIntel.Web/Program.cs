using AdIntel.Web.Composition;
using AdIntel.Web.Infrastructure.Audit;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Email;
using AdIntel.Web.Infrastructure.Health;
using AdIntel.Web.Infrastructure.Jobs;
using AdIntel.Web.Infrastructure.Memory;
using AdIntel.Web.Infrastructure.Security;

NativeHeap.LimitArenas();
var builder = WebApplication.CreateBuilder(args);
builder.AddAdIntelConfiguration()
    .AddAdIntelLogging()
    .AddAdIntelData()
    .AddAdIntelAuth()
    .AddAdIntelSecurity()
    .AddAdIntelAudit()
    .AddAdIntelEmail()
    .AddAdIntelJobs()
    .AddAdIntelHealth()
    .AddAdIntelFeatures()
    .AddAdIntelWeb();

var app = builder.Build();
// Before the pipeline: mapping the jobs dashboard makes Hangfire's storage, which creates its schema (start-up lock).
await app.PrepareDataAsync();
app.UseAdIntelPipeline();
await app.RunAsync();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
