using System.Threading.Channels;
using AdIntel.Web.Infrastructure.Tenancy;

namespace AdIntel.Web.Imports;

/// <summary>An uploaded file waiting to be imported by <see cref="ImportWorker"/>.</summary>
public sealed record QueuedImport(long StoreId, long RunId, string FilePath);

/// <summary>
/// Imports started from the page run in the background so a large file can show progress. The upload is kept in a
/// temporary file on this machine, so the import must run on this instance: an in-process queue, not a Hangfire job
/// that another instance sharing the job storage could pick up without the file.
/// </summary>
public sealed class ImportQueue
{
    private readonly Channel<QueuedImport> _channel = Channel.CreateUnbounded<QueuedImport>(new UnboundedChannelOptions { SingleReader = true });

    public static string UploadDirectory { get; } = Path.Combine(Path.GetTempPath(), "adintel-imports");

    internal ChannelReader<QueuedImport> Reader => _channel.Reader;

    /// <summary>Copies the upload to a temporary file that outlives the request.</summary>
    public static async Task<string> SaveUploadAsync(CsvUpload upload, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(UploadDirectory);
        var path = Path.Combine(UploadDirectory, $"{Guid.NewGuid():N}.csv");
        await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        await using var source = upload.OpenReadStream();
        await source.CopyToAsync(target, cancellationToken);
        return path;
    }

    public ValueTask EnqueueAsync(QueuedImport import, CancellationToken cancellationToken) => _channel.Writer.WriteAsync(import, cancellationToken);
}

/// <summary>Runs queued imports one at a time, each in its own DI scope acting for the import's store.</summary>
public sealed class ImportWorker(ImportQueue queue, IServiceScopeFactory scopes, TimeProvider time, ILogger<ImportWorker> logger) : BackgroundService
{
    /// <summary>Uploads left behind by a crash; a day is far longer than any import takes.</summary>
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        DeleteAbandonedUploads();
        await foreach (var import in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await RunAsync(import, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The runner has marked the run failed; the worker goes on with the next import.
                logger.LogError(e, "Background import {RunId} of store {StoreId} failed", import.RunId, import.StoreId);
            }
            finally
            {
                TryDelete(import.FilePath);
            }
        }
    }

    private async Task RunAsync(QueuedImport import, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateStoreScope(import.StoreId);
        var runner = scope.ServiceProvider.GetRequiredService<ImportRunner>();
        await using var file = new FileStream(import.FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        await runner.RunAsync(import.RunId, file, cancellationToken);
    }

    private void DeleteAbandonedUploads()
    {
        if (!Directory.Exists(ImportQueue.UploadDirectory))
        {
            return;
        }
        var cutoff = time.GetUtcNow().UtcDateTime - AbandonedAfter;
        foreach (var path in Directory.EnumerateFiles(ImportQueue.UploadDirectory, "*.csv"))
        {
            if (File.GetLastWriteTimeUtc(path) < cutoff)
            {
                TryDelete(path);
            }
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException e)
        {
            logger.LogWarning(e, "Could not delete the import upload {Path}", path);
        }
    }
}
