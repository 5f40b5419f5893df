using System.Text.Json;

namespace AdIntel.Web.Integrations.Meta;

/// <summary>What a Graph API failure means for the caller: wait, retry, reconnect, or give up (docs/integrations.md#errors-and-throttling).</summary>
public enum MetaErrorKind
{
    /// <summary>A rate limit (codes 4, 17, 32, 613, 800xx): back off for the whole ad account.</summary>
    Throttled,
    /// <summary>Worth retrying as is (<c>is_transient</c>, codes 1 and 2, 5xx).</summary>
    Transient,
    /// <summary>The token is invalid or expired (code 190): the store must reconnect.</summary>
    InvalidToken,
    /// <summary>Missing permission (codes 10, 200–299).</summary>
    Permission,
    /// <summary>Anything else (e.g. code 100, an invalid parameter): retrying cannot help.</summary>
    Permanent,
}

/// <summary>A Graph API error body, <c>{"error":{"message","type","code","error_subcode","is_transient",…}}</c>.</summary>
public sealed record MetaGraphError(int HttpStatus, int Code, int? Subcode, string Message, string? Type, bool IsTransient, string? TraceId)
{
    /// <summary>Meta's explanation for people (<c>error_user_title</c>, <c>error_user_msg</c>), when it gives one.</summary>
    public string? UserTitle { get; init; }

    public string? UserMessage { get; init; }

    public MetaErrorKind Kind => Code switch
    {
        4 or 17 or 32 or 613 or (>= 80000 and <= 80014) => MetaErrorKind.Throttled,
        190 => MetaErrorKind.InvalidToken,
        10 or (>= 200 and <= 299) => MetaErrorKind.Permission,
        1 or 2 => MetaErrorKind.Transient,
        _ when IsTransient || HttpStatus >= 500 => MetaErrorKind.Transient,
        _ => MetaErrorKind.Permanent,
    };

    /// <summary>Reads an error body; a body that is not Meta's error shape becomes a transient or permanent error by status.</summary>
    public static MetaGraphError Parse(int httpStatus, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return new MetaGraphError(
                    httpStatus,
                    Int(error, "code") ?? 0,
                    Int(error, "error_subcode"),
                    Text(error, "message") ?? "Meta returned an error without a message.",
                    Text(error, "type"),
                    error.TryGetProperty("is_transient", out var transient) && transient.ValueKind == JsonValueKind.True,
                    Text(error, "fbtrace_id"))
                {
                    UserTitle = Text(error, "error_user_title"),
                    UserMessage = Text(error, "error_user_msg"),
                };
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page, a truncated body): judged by the status below.
        }
        var excerpt = body.Length > 200 ? body[..200] : body;
        return new MetaGraphError(httpStatus, 0, null, $"Meta answered {httpStatus} with an unexpected body: {excerpt}", null, httpStatus >= 500, null);
    }

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
