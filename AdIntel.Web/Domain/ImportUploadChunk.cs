namespace AdIntel.Web.Domain;

/// <summary>
/// One piece of an uploaded CSV waiting for its import job, kept in the database so whichever instance runs the job
/// reads it. An upload is the chunks sharing an <see cref="UploadName"/> (<see cref="ImportRun.UploadName"/>), in
/// <see cref="Sequence"/> order; they are deleted once the run has ended.
/// </summary>
public sealed class ImportUploadChunk : IStoreOwned
{
    public long Id { get; set; }
    public long StoreId { get; set; }
    public required string UploadName { get; set; }
    /// <summary>0, 1, 2… in file order.</summary>
    public int Sequence { get; set; }
    /// <summary>The chunk's length in the file (its <see cref="Bytes"/> are shorter when compressed).</summary>
    public int Length { get; set; }
    /// <summary>Whether <see cref="Bytes"/> are Brotli-compressed (when that made them shorter).</summary>
    public bool IsCompressed { get; set; }
    public required byte[] Bytes { get; set; }
    public DateTime CreatedAtUtc { get; set; }
}
