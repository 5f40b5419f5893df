using AdIntel.Web.Infrastructure.Api;
using Microsoft.AspNetCore.Http.Features;

namespace AdIntel.Web.Imports;

/// <summary>A CSV upload that passed the checks of <see cref="CsvUploadReader"/>.</summary>
public sealed class CsvUpload(IFormFile file)
{
    public string FileName { get; } = Path.GetFileName(file.FileName);
    public long Length => file.Length;

    /// <summary>A seekable stream over the uploaded bytes (buffered to disk by ASP.NET Core when large).</summary>
    public Stream OpenReadStream() => file.OpenReadStream();
}

/// <summary>
/// Reads the multipart upload of an import (field <see cref="FieldName"/>) with the configured size limit, for the
/// API and the page alike: the request body limit is raised to the import limit only here, and the Content-Length is
/// checked before a byte is read. Every refusal is an <see cref="ImportProblem"/> with a sentence a person understands.
/// </summary>
public static class CsvUploadReader
{
    public const string FieldName = "file";

    /// <summary>Room for the multipart boundaries, part headers and the antiforgery field around the file.</summary>
    private const long MultipartOverheadBytes = 64 * 1024;

    private static readonly string[] AcceptedExtensions = ["", ".csv", ".txt"];

    public static async Task<(CsvUpload? Upload, ImportProblem? Problem)> ReadAsync(HttpContext context, long maxFileBytes,
        CancellationToken cancellationToken)
    {
        var request = context.Request;
        var bodyLimit = maxFileBytes + MultipartOverheadBytes;
        if (request.ContentLength > bodyLimit)
        {
            return (null, TooLarge(maxFileBytes));
        }
        if (!request.HasFormContentType || request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) != true)
        {
            return (null, new ImportProblem(400, "missing_file",
                $"Send the CSV file as multipart/form-data in a field named “{FieldName}”."));
        }

        // Only a form nobody has read yet can get the import's limits (MVC model binding, for one, reads it with the defaults).
        if (context.Features.Get<IFormFeature>() is not { Form: not null })
        {
            context.SetMaxRequestBodySize(bodyLimit);
            context.Features.Set<IFormFeature>(new FormFeature(request, new FormOptions { MultipartBodyLengthLimit = bodyLimit }));
        }
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(cancellationToken);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(maxFileBytes));
        }
        catch (InvalidDataException e) when (e.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase))
        {
            // The form reader reports a body over MultipartBodyLengthLimit this way (uploads without Content-Length).
            return (null, TooLarge(maxFileBytes));
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException or IOException)
        {
            return (null, new ImportProblem(400, "bad_upload", "The upload could not be read as multipart/form-data; it may have been interrupted. Please try again."));
        }

        var file = form.Files.GetFile(FieldName);
        if (file is null)
        {
            var received = form.Files.Select(f => f.Name).Concat(form.Keys).Distinct(StringComparer.Ordinal).ToList();
            var message = received.Count == 0
                ? $"No file was attached. Send the CSV file in a multipart field named “{FieldName}”."
                : $"No file was found in the field “{FieldName}”; the request has {string.Join(", ", received.Select(r => $"“{r}”"))}.";
            return (null, new ImportProblem(400, "missing_file", message, new { field = FieldName, received }));
        }
        var fileName = Path.GetFileName(file.FileName);
        if (file.Length == 0)
        {
            return (null, new ImportProblem(400, "empty_file", $"The file “{fileName}” is empty."));
        }
        if (file.Length > maxFileBytes)
        {
            return (null, TooLarge(maxFileBytes));
        }
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        if (!AcceptedExtensions.Contains(extension))
        {
            return (null, new ImportProblem(400, "not_csv",
                $"“{fileName}” is not a CSV file. Export the report as CSV (a file ending in .csv) and upload that."));
        }
        try
        {
            await using var stream = file.OpenReadStream();
            CsvFileSniffer.Check(stream, fileName);
        }
        catch (ImportProblemException e)
        {
            return (null, e.ToProblem());
        }
        return (new CsvUpload(file), null);
    }

    private static ImportProblem TooLarge(long maxFileBytes) => new(413, "file_too_large",
        $"The file is larger than the {maxFileBytes / (1024 * 1024)} MB an import accepts. Export a shorter date range, or split the file and import the parts one after the other.",
        new { maxBytes = maxFileBytes });
}
