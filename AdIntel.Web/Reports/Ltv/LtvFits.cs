using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Options;
using AdIntel.Web.Infrastructure.Tenancy;
using AdIntel.Web.Metrics;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Reports.Ltv;

/// <summary>What the store's stored LTV fit says now: its forecast (if any), whether it is out of date, and the fit under way.</summary>
public sealed record LtvFitStatus(
    LtvForecast? Forecast,
    DateTime? FittedAtUtc,
    int? FitMilliseconds,
    /// <summary>The data changed, or a day passed, since the forecast was fitted.</summary>
    bool IsStale,
    /// <summary>A fit is queued or running (and alive).</summary>
    bool IsFitting,
    string? Stage,
    /// <summary>0–100: how far a running fit got, by its stage.</summary>
    int ProgressPercent,
    DateTime? StartedAtUtc,
    /// <summary>Why the latest attempt failed, in words.</summary>
    string? Error);

/// <summary>
/// The one writer of a store's stored predicted-LTV fit (<see cref="LtvFit"/>). The fit reads every order, so it runs in
/// a background job (<see cref="LtvFitJob"/>) after every data change and when a page finds none or an outdated one;
/// pages and downloads read the stored forecast and never fit inline.
/// </summary>
public sealed class LtvFits(AdIntelDbContext db, StoreContext storeContext, StoreClock clock, TimeProvider time, IBackgroundJobClient jobs,
    IOptions<JobsOptions> jobsOptions, LtvModelService models, ILogger<LtvFits> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    /// <summary>The stored fit as it stands; changes nothing.</summary>
    public async Task<LtvFitStatus> GetAsync(CancellationToken cancellationToken) => (await ReadAsync(cancellationToken)).Status;

    /// <summary>
    /// The stored fit, after asking for a new one when there is none or it is out of date and no fit is under way
    /// (an attempt that failed on the same data is not repeated: its error is shown instead).
    /// </summary>
    public async Task<LtvFitStatus> GetFreshAsync(CancellationToken cancellationToken)
    {
        var (row, status, attempt) = await ReadAsync(cancellationToken);
        var failedOnThisData = row is { State: LtvFitStates.Failed } && row.AttemptVersion == attempt;
        if (attempt is null || status.IsFitting || (status.Forecast is not null && !status.IsStale) || failedOnThisData)
        {
            return status;
        }
        await RequestAsync(row, attempt, cancellationToken);
        return (await ReadAsync(cancellationToken)).Status;
    }

    /// <summary>Asks for a new fit now (a person's "Fit again"), unless one is under way.</summary>
    public async Task<LtvFitStatus> RefitAsync(CancellationToken cancellationToken)
    {
        var (row, status, attempt) = await ReadAsync(cancellationToken);
        if (attempt is not null && !status.IsFitting)
        {
            await RequestAsync(row, attempt, cancellationToken);
        }
        return (await ReadAsync(cancellationToken)).Status;
    }

    /// <summary>
    /// The job's work: fits the store's models on its data as of today and stores the forecast, recording each stage as
    /// it goes. Does nothing when the stored forecast is already of this data and day, or another live fit holds the row.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var (row, status, attempt) = await ReadAsync(cancellationToken);
        if (attempt is null)
        {
            return;
        }
        if (status.Forecast is not null && !status.IsStale)
        {
            // Fitted meanwhile by another job: a request queued since has nothing left to do.
            await db.LtvFits.Where(f => f.State == LtvFitStates.Queued)
                .ExecuteUpdateAsync(f => f.SetProperty(x => x.State, LtvFitStates.Succeeded), cancellationToken);
            return;
        }
        // Without a row nobody has asked for this store's fit yet (the job follows a facts rebuild): its forecast is stored
        // when there is one, and a store too small for one gets the explanation when someone opens the page.
        var rowId = row?.Id;
        if (rowId is { } claim)
        {
            var staleBefore = Now - jobsOptions.Value.StaleAfter;
            var claimed = await db.LtvFits.Where(f => f.Id == claim && !(f.State == LtvFitStates.Running && f.HeartbeatAtUtc >= staleBefore))
                .ExecuteUpdateAsync(f => f
                    .SetProperty(x => x.State, LtvFitStates.Running)
                    .SetProperty(x => x.StartedAtUtc, Now)
                    .SetProperty(x => x.HeartbeatAtUtc, Now)
                    .SetProperty(x => x.Stage, (string?)null)
                    .SetProperty(x => x.AttemptVersion, attempt), cancellationToken);
            if (claimed == 0)
            {
                return;
            }
        }

        var (version, today) = Split(attempt);
        var watch = Stopwatch.StartNew();
        try
        {
            var fit = await models.FitNowAsync(today, BtydUnit.Week, stage => StageAsync(rowId, stage, cancellationToken), cancellationToken);
            await StageAsync(rowId, LtvFitStage.Forecasting, cancellationToken);
            var forecast = JsonSerializer.Serialize(LtvForecast.From(fit), Json);
            var took = (int)watch.ElapsedMilliseconds;
            if (rowId is null && (rowId = (await CreateAsync(attempt, cancellationToken))?.Id) is null)
            {
                // A page asked at the same moment; its own fit stores the forecast.
                return;
            }
            await db.LtvFits.Where(f => f.Id == rowId).ExecuteUpdateAsync(f => f
                .SetProperty(x => x.State, LtvFitStates.Succeeded)
                .SetProperty(x => x.Stage, (string?)null)
                .SetProperty(x => x.Error, (string?)null)
                .SetProperty(x => x.AttemptVersion, attempt)
                .SetProperty(x => x.ForecastJson, forecast)
                .SetProperty(x => x.DataVersion, version)
                .SetProperty(x => x.CalibrationEnd, today)
                .SetProperty(x => x.FittedAtUtc, Now)
                .SetProperty(x => x.FitMilliseconds, took), cancellationToken);
            logger.LogInformation("Predicted LTV of store {StoreId} fitted in {Milliseconds} ms", storeContext.RequiredStoreId, took);
        }
        catch (InsufficientLtvDataException) when (rowId is null)
        {
            // Nothing to store: see above.
        }
        catch (InsufficientLtvDataException e)
        {
            // The data no longer supports a forecast: an older one would describe customers the store no longer has.
            await db.LtvFits.Where(f => f.Id == rowId).ExecuteUpdateAsync(f => f
                .SetProperty(x => x.State, LtvFitStates.Failed)
                .SetProperty(x => x.Stage, (string?)null)
                .SetProperty(x => x.Error, e.Message)
                .SetProperty(x => x.ForecastJson, (string?)null)
                .SetProperty(x => x.DataVersion, (string?)null)
                .SetProperty(x => x.CalibrationEnd, (DateOnly?)null), CancellationToken.None);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await FailAsync(rowId, "The fit was stopped before it finished (the app was shutting down). Fit again to finish it.");
            throw;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Predicted LTV of store {StoreId} could not be fitted", storeContext.RequiredStoreId);
            await FailAsync(rowId, "The fit failed: " + e.Message);
        }
    }

    /// <summary>Words for a stage, as the page shows them while a fit runs.</summary>
    public static string Describe(LtvFitStage stage) => stage switch
    {
        LtvFitStage.ReadingOrders => "Reading the store's orders",
        LtvFitStage.FittingPurchases => "Fitting how often customers buy and when they stop",
        LtvFitStage.FittingValue => "Fitting what customers spend per purchase",
        _ => "Forecasting each customer's next 12 months",
    };

    private Task FailAsync(long? id, string error) =>
        id is null ? Task.CompletedTask : db.LtvFits.Where(f => f.Id == id).ExecuteUpdateAsync(f => f
            .SetProperty(x => x.State, LtvFitStates.Failed)
            .SetProperty(x => x.Stage, (string?)null)
            .SetProperty(x => x.Error, error), CancellationToken.None);

    private Task StageAsync(long? id, LtvFitStage stage, CancellationToken cancellationToken) =>
        id is null ? Task.CompletedTask : db.LtvFits.Where(f => f.Id == id).ExecuteUpdateAsync(f => f
            .SetProperty(x => x.Stage, stage.ToString())
            .SetProperty(x => x.HeartbeatAtUtc, Now), cancellationToken);

    private async Task RequestAsync(LtvFit? row, string attempt, CancellationToken cancellationToken)
    {
        if (row is null)
        {
            if (await CreateAsync(attempt, cancellationToken) is null)
            {
                return;
            }
        }
        else
        {
            await db.LtvFits.Where(f => f.Id == row.Id).ExecuteUpdateAsync(f => f
                .SetProperty(x => x.State, LtvFitStates.Queued)
                .SetProperty(x => x.Stage, (string?)null)
                .SetProperty(x => x.Error, (string?)null)
                .SetProperty(x => x.RequestedAtUtc, Now)
                .SetProperty(x => x.StartedAtUtc, (DateTime?)null)
                .SetProperty(x => x.AttemptVersion, attempt), cancellationToken);
        }
        var storeId = storeContext.RequiredStoreId;
        jobs.Enqueue<LtvFitJob>(j => j.RunAsync(storeId, CancellationToken.None));
    }

    /// <summary>The store's row, queued for <paramref name="attempt"/>; null when another request created it first.</summary>
    private async Task<LtvFit?> CreateAsync(string attempt, CancellationToken cancellationToken)
    {
        var row = new LtvFit { State = LtvFitStates.Queued, RequestedAtUtc = Now, AttemptVersion = attempt };
        db.LtvFits.Add(row);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return row;
        }
        catch (DbUpdateException)
        {
            db.Entry(row).State = EntityState.Detached;
            return null;
        }
    }

    private async Task<(LtvFit? Row, LtvFitStatus Status, string? Attempt)> ReadAsync(CancellationToken cancellationToken)
    {
        var row = await db.LtvFits.AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        var fingerprint = await FactsFingerprint.ReadAsync(db, cancellationToken);
        var today = await clock.GetTodayAsync(cancellationToken);
        // No facts, no orders: nothing to fit (the page says so; a fit would only report too few customers).
        var attempt = fingerprint?.LastOrderDate is null ? null : Attempt(fingerprint.Version, today);
        if (row is null)
        {
            return (null, new LtvFitStatus(null, null, null, false, false, null, 0, null, null), attempt);
        }
        var forecast = row.ForecastJson is null ? null : JsonSerializer.Deserialize<LtvForecast>(row.ForecastJson, Json);
        var staleBefore = Now - jobsOptions.Value.StaleAfter;
        var fitting = row.State switch
        {
            LtvFitStates.Queued => row.RequestedAtUtc >= staleBefore,
            LtvFitStates.Running => row.HeartbeatAtUtc >= staleBefore,
            _ => false,
        };
        var stale = forecast is not null && (row.DataVersion is null || attempt is null || Attempt(row.DataVersion, row.CalibrationEnd ?? today) != attempt);
        var stage = fitting && row.State == LtvFitStates.Running && Enum.TryParse<LtvFitStage>(row.Stage, out var s) ? s : (LtvFitStage?)null;
        var progress = stage is { } current ? 10 + (int)current * 25 : fitting && row.State == LtvFitStates.Running ? 5 : 0;
        var words = !fitting ? null : stage is { } named ? Describe(named) : row.State == LtvFitStates.Queued ? "Waiting for a worker" : "Starting";
        var error = row.State == LtvFitStates.Failed ? row.Error
            : !fitting && row.State is LtvFitStates.Queued or LtvFitStates.Running ? "The last fit stopped without finishing (the app may have restarted)." : null;
        return (row, new LtvFitStatus(forecast, row.FittedAtUtc, row.FitMilliseconds, stale, fitting, words, progress, row.StartedAtUtc, error), attempt);
    }

    private static string Attempt(string version, DateOnly day) => version + "@" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static (string Version, DateOnly Day) Split(string attempt)
    {
        var at = attempt.LastIndexOf('@');
        return (attempt[..at], DateOnly.ParseExact(attempt[(at + 1)..], "yyyy-MM-dd", CultureInfo.InvariantCulture));
    }
}

/// <summary>Fits one store's predicted LTV and stores it (see <see cref="LtvFits"/>), in a scope acting for the store.</summary>
public sealed class LtvFitJob(IServiceScopeFactory scopes)
{
    // A failure is recorded on the stored fit in words; the page offers to fit again.
    [AutomaticRetry(Attempts = 0)]
    public async Task RunAsync(long storeId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateStoreScope(storeId);
        var services = scope.ServiceProvider;
        if (!await services.GetRequiredService<AdIntelDbContext>().Stores.AnyAsync(s => s.Id == storeId, cancellationToken))
        {
            return;
        }
        await services.GetRequiredService<LtvFits>().RunAsync(cancellationToken);
    }
}

/// <summary>After each facts rebuild (import, sync, webhook batch) the store's predicted LTV is fitted again, in a job.</summary>
public sealed class LtvFitAfterFactsRebuild(IBackgroundJobClient jobs) : IFactsRebuiltObserver
{
    public void FactsRebuilt(long storeId) => jobs.Enqueue<LtvFitJob>(j => j.RunAsync(storeId, CancellationToken.None));
}
