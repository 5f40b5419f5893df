using System.Text.Json.Serialization;

namespace AdIntel.Web.Infrastructure.Api;

/// <summary>The API's JSON envelopes: <c>{"data": ...}</c> and <c>{"error": {...}}</c>.</summary>
public static class ApiResults
{
    public static IResult Ok<T>(T data) => Results.Json(new DataEnvelope<T>(data));

    /// <summary>202: the work was accepted and goes on; <paramref name="location"/> is where it can be followed.</summary>
    public static IResult Accepted<T>(string location, T data) => Results.Accepted(location, new DataEnvelope<T>(data));

    public static IResult List<T>(IReadOnlyList<T> data, string? nextCursor = null) =>
        Results.Json(new ListEnvelope<T>(data, new PageInfo(nextCursor)));

    public static IResult Error(int status, string code, string message, object? details = null) =>
        Results.Json(new ErrorEnvelope(new ErrorBody(code, message, details)), statusCode: status);

    public static IResult BadRequest(string message, object? details = null) => Error(StatusCodes.Status400BadRequest, "bad_request", message, details);

    public static IResult NotFound(string what) => Error(StatusCodes.Status404NotFound, "not_found", $"{what} was not found.");

    public static IResult Unprocessable(string code, string message, object? details = null) =>
        Error(StatusCodes.Status422UnprocessableEntity, code, message, details);

    public sealed record DataEnvelope<T>(T Data);

    public sealed record ListEnvelope<T>(IReadOnlyList<T> Data, PageInfo Page);

    public sealed record PageInfo([property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Next);

    public sealed record ErrorEnvelope(ErrorBody Error);

    public sealed record ErrorBody(string Code, string Message,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Details);
}
