namespace AdIntel.Web.Imports;

/// <summary>
/// A problem with a whole file (not one line): nothing of it can be imported. Carries the HTTP status and the
/// API's error code so the API and the page say the same thing.
/// </summary>
public sealed class ImportProblemException(int status, string code, string message, object? details = null) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public object? Details { get; } = details;

    public ImportProblem ToProblem() => new(Status, Code, Message, Details);
}

/// <summary>Why a file was not imported, in the shape of the API's error envelope.</summary>
public sealed record ImportProblem(int Status, string Code, string Message, object? Details = null);
