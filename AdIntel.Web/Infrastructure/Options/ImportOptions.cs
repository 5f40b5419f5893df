using System.ComponentModel.DataAnnotations;

namespace AdIntel.Web.Infrastructure.Options;

public sealed class ImportOptions
{
    public const string SectionName = "Import";

    /// <summary>Largest CSV accepted, in megabytes; larger uploads get 413.</summary>
    [Range(1, 2048)]
    public int MaxFileMegabytes { get; set; } = 100;

    /// <summary>How long <c>POST /api/import/…</c> waits for its import to finish before answering 202 (it goes on in the background).</summary>
    [Range(1, 120)]
    public int ApiWaitMinutes { get; set; } = 10;

    public long MaxFileBytes => MaxFileMegabytes * 1024L * 1024L;
}
