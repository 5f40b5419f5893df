using AdIntel.Fakes;
using AdIntel.Fakes.Llm;
using AdIntel.Web.Brain.Llm;
using AdIntel.Web.Infrastructure.Tenancy;
using Microsoft.Extensions.DependencyInjection;

namespace AdIntel.Web.Tests.Brain.Llm;

/// <summary>
/// The LLM layer wired as the app wires it (options, the resilient HttpClient, <see cref="LlmChatClients"/>) but
/// pointed at the fake provider of <paramref name="provider"/>, with short back-offs; the narrator and Ask AdIntel are
/// built in a store scope of a hosted app, so usage, data and logs are the app's own. Disposing the kit stops the server.
/// </summary>
public sealed class LlmTestKit : IAsyncDisposable
{
    public const string Model = "fake-model-1";

    private readonly ServiceProvider _llmServices;

    public LlmTestKit(FakeServer server, string provider, Action<LlmOptions>? configure = null)
    {
        Server = server;
        Provider = provider;
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<LlmOptions>().Configure(o =>
        {
            o.Provider = provider;
            o.BaseUrl = provider == LlmOptions.OpenAi ? server.OpenAiBaseUrl : server.AnthropicBaseUrl;
            o.Model = Model;
            o.ApiKey = Fake.ApiKey;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
            o.MaxRetries = 2;
            o.RequestTimeout = TimeSpan.FromSeconds(20);
            configure?.Invoke(o);
        });
        LlmChatClients.AddHttpClient(services);
        services.AddSingleton<LlmChatClients>();
        _llmServices = services.BuildServiceProvider();
    }

    public static TheoryData<string> Providers => new() { LlmOptions.OpenAi, LlmOptions.Anthropic };

    public FakeServer Server { get; }

    public string Provider { get; }

    /// <summary>The fake provider the kit talks to.</summary>
    public FakeLlmState Fake => Provider == LlmOptions.OpenAi ? Server.OpenAi : Server.Anthropic;

    public LlmChatClients Clients => _llmServices.GetRequiredService<LlmChatClients>();

    /// <summary>Builds <typeparamref name="T"/> in a scope of <paramref name="app"/> acting for <paramref name="storeId"/>, with this kit's clients (and <paramref name="extra"/>), and runs <paramref name="work"/> with it and the scope's services.</summary>
    public async Task<TResult> WithAsync<T, TResult>(AdIntelApp app, long storeId, Func<T, IServiceProvider, Task<TResult>> work, params object[] extra) where T : notnull
    {
        await using var scope = app.Services.GetRequiredService<IServiceScopeFactory>().CreateStoreScope(storeId);
        var service = ActivatorUtilities.CreateInstance<T>(scope.ServiceProvider, [Clients, .. extra]);
        return await work(service, scope.ServiceProvider);
    }

    /// <summary>Stops the fake server too: the kit owns it.</summary>
    public async ValueTask DisposeAsync()
    {
        await _llmServices.DisposeAsync();
        await Server.DisposeAsync();
    }
}
