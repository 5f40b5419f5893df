using AdIntel.Web.Infrastructure.Options;
using Microsoft.Extensions.Options;

namespace AdIntel.Web.Imports;

/// <summary>
/// Uploads waiting for their import job: files in <see cref="ImportOptions.UploadDirectory"/>, a directory every
/// instance that runs jobs shares, so whichever picks the job up reads the file. Each is deleted once its run has ended.
/// </summary>
public sealed class ImportUploads(IOptions<ImportOptions> options, IHostEnvironment environment, TimeProvider time, ILogger<ImportUploads> logger)
{
    /// <summary>Uploads of runs that vanished (their store deleted while they waited); a day is far longer than any import waits.</summary>
    private static readonly TimeSpan AbandonedAfter = TimeSpan.FromDays(1);

    private readonly string _directory = options.Value.ResolveUploadDirectory(environment.ContentRootPath);

    /// <summary>Copies the upload into the directory; returns its file name there.</summary>
    public async Task<string> SaveAsync(CsvUpload upload, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_directory);
        var name = $"{Guid.NewGuid():N}.csv";
        try
        {
            await using var target = new FileStream(PathOf(name), FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            await using var source = upload.OpenReadStream();
            await source.CopyToAsync(target, cancellationToken);
        }
        catch
        {
            Delete(name);
            throw;
        }
        return name;
    }

    /// <summary>The stored upload, seekable; null when this instance cannot see it.</summary>
    public FileStream? Open(string? name)
    {
        try
        {
            return name is null ? null : new FileStream(PathOf(name), FileMode.Open, FileAccess.Read, FileShare.Read, 81920,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public void Delete(string? name)
    {
        if (name is null)
        {
            return;
        }
        try
        {
            File.Delete(PathOf(name));
        }
        catch (IOException e)
        {
            logger.LogWarning(e, "Could not delete the import upload {Name}", name);
        }
    }

    /// <summary>Deletes uploads no run will read any more.</summary>
    public void DeleteAbandoned()
    {
        if (!Directory.Exists(_directory))
        {
            return;
        }
        var cutoff = time.GetUtcNow().UtcDateTime - AbandonedAfter;
        foreach (var path in Directory.EnumerateFiles(_directory, "*.csv"))
        {
            if (File.GetLastWriteTimeUtc(path) < cutoff)
            {
                Delete(Path.GetFileName(path));
            }
        }
    }

    /// <summary>Names come from the run rows this class wrote; anything but a plain file name is refused all the same.</summary>
    private string PathOf(string name) => Path.GetFileName(name) == name && name.Length > 0
        ? Path.Combine(_directory, name)
        : throw new ArgumentException($"“{name}” is not an upload's file name.", nameof(name));
}
