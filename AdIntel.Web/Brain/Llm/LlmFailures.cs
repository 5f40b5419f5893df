using System.ClientModel;
using Anthropic.Exceptions;

namespace AdIntel.Web.Brain.Llm;

/// <summary>
/// What may be logged of a failed provider call: the exception's type and the HTTP status. Never its message: the SDKs
/// put the provider's answer into it, and an answer may echo what was sent.
/// </summary>
public static class LlmFailures
{
    public static bool IsProviderFailure(Exception exception, CancellationToken cancellationToken) =>
        exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested;

    public static string Describe(Exception exception) => exception switch
    {
        ClientResultException result => $"{nameof(ClientResultException)} (HTTP {result.Status})",
        AnthropicApiException api => $"{api.GetType().Name} (HTTP {(int)api.StatusCode})",
        HttpRequestException { StatusCode: { } status } => $"{nameof(HttpRequestException)} (HTTP {(int)status})",
        _ => exception.GetType().Name,
    };
}
