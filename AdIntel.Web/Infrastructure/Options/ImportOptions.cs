using System.ComponentModel.DataAnnotations;
using AdIntel.Web.Infrastructure.Data;

namespace AdIntel.Web.Infrastructure.Options;

public sealed class ImportOptions
{
    public const string SectionName = "Import";

    /// <summary>Largest CSV accepted, in megabytes; larger uploads get 413.</summary>
    [Range(1, 2048)]
    public int MaxFileMegabytes { get; set; } = 100;

    /// <summary>
    /// Where uploads wait for their import job, deleted once it has run. Every instance that runs jobs must see the same
    /// directory (a shared volume), since any of them may pick the job up. Empty: <c>data/uploads</c> beside the
    /// database when running from the repository, else under the content root; a relative path is taken from there too.
    /// </summary>
    public string UploadDirectory { get; set; } = "";

    /// <summary>How long <c>POST /api/import/…</c> waits for its import to finish before answering 202 (it goes on in the background).</summary>
    [Range(1, 120)]
    public int ApiWaitMinutes { get; set; } = 10;

    public long MaxFileBytes => MaxFileMegabytes * 1024L * 1024L;

    public string ResolveUploadDirectory(string contentRoot) =>
        Path.GetFullPath(UploadDirectory is { Length: > 0 } configured ? configured : Path.Combine("data", "uploads"),
            DataServiceCollectionExtensions.RepositoryRoot(contentRoot));
}
