using AdIntel.Fakes.Chat;
using AdIntel.Fakes.Llm;
using AdIntel.Fakes.Meta;
using AdIntel.Fakes.Shopify;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace AdIntel.Fakes;

/// <summary>
/// The fakes served by Kestrel on 127.0.0.1 — a real port and real HTTP, so the product's clients are tested exactly
/// as they would talk to Meta, Shopify, OpenAI, Anthropic, Slack and Discord (only the base URL differs). Port 0 picks a free port (tests).
/// </summary>
public sealed class FakeServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeServer(WebApplication app, FakeMetaState meta, FakeShopifyState shopify, TimeProvider time)
    {
        _app = app;
        Meta = meta;
        Shopify = shopify;
        Time = time;
    }

    public FakeMetaState Meta { get; }

    public FakeShopifyState Shopify { get; }

    /// <summary>The fake OpenAI Chat Completions API; clients take <see cref="OpenAiBaseUrl"/>.</summary>
    public FakeLlmState OpenAi { get; } = new();

    /// <summary>The fake Anthropic Messages API; clients take <see cref="AnthropicBaseUrl"/>.</summary>
    public FakeLlmState Anthropic { get; } = new();

    /// <summary>OpenAI's base URL as its SDK takes it (<c>https://api.openai.com/v1</c>).</summary>
    public string OpenAiBaseUrl => MetaBaseUrl + "/v1";

    /// <summary>Anthropic's base URL as its SDK takes it (<c>https://api.anthropic.com</c>).</summary>
    public string AnthropicBaseUrl => MetaBaseUrl;

    /// <summary>The client's shop base-URL template standing for <c>https://{shop}</c>.</summary>
    public string ShopifyShopUrlTemplate => MetaBaseUrl + "/shops/{shop}";

    public TimeProvider Time { get; }

    /// <summary>Fake Slack incoming webhooks; the app's Notifications:SlackWebhookBaseUrl is <see cref="SlackWebhookBaseUrl"/>.</summary>
    public FakeChatState Slack { get; } = new();

    /// <summary>Fake Discord webhooks; the app's Notifications:DiscordWebhookBaseUrls is <see cref="DiscordWebhookBaseUrl"/>.</summary>
    public FakeChatState Discord { get; } = new();

    /// <summary>Stands for <c>https://hooks.slack.com/services/</c>.</summary>
    public string SlackWebhookBaseUrl => MetaBaseUrl + FakeSlackWebhooks.PathPrefix;

    /// <summary>Stands for <c>https://discord.com/api/webhooks/</c>.</summary>
    public string DiscordWebhookBaseUrl => MetaBaseUrl + FakeDiscordWebhooks.PathPrefix;

    /// <summary>A new Slack webhook: its full address and the id <see cref="Slack"/> records it under.</summary>
    public (string Url, string HookId) CreateSlackHook()
    {
        string? id = null;
        var path = Slack.CreateHook(hook => FakeSlackWebhooks.PathOf(id = hook));
        return (SlackWebhookBaseUrl + path, id!);
    }

    /// <summary>A new Discord webhook: its full address and the id <see cref="Discord"/> records it under.</summary>
    public (string Url, string HookId) CreateDiscordHook()
    {
        string? id = null;
        var path = Discord.CreateHook(hook => FakeDiscordWebhooks.PathOf(id = hook));
        return (DiscordWebhookBaseUrl + path, id!);
    }

    /// <summary>Where the fake Graph API answers, e.g. <c>http://127.0.0.1:5123</c> (the client appends <c>/v25.0/…</c>).</summary>
    public string MetaBaseUrl { get; private set; } = "";

    public static async Task<FakeServer> StartAsync(int port = 0, FakeMetaState? meta = null, TimeProvider? time = null, FakeShopifyState? shopify = null,
        CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeServer(app, meta ?? new FakeMetaState(), shopify ?? new FakeShopifyState(), time ?? TimeProvider.System);
        FakeShopify.Map(app, server.Shopify, server.Time);
        FakeShopifyGraphQl.Map(app, server.Shopify, server.Time);
        FakeMetaGraph.Map(app, server.Meta, server.Time);
        FakeShopifyWebhooks.MapTrigger(app, server.Shopify, server.Time);
        FakeOpenAi.Map(app, server.OpenAi, server.Time);
        FakeAnthropic.Map(app, server.Anthropic, server.Time);
        FakeSlackWebhooks.Map(app, server.Slack, server.Time);
        FakeDiscordWebhooks.Map(app, server.Discord, server.Time);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.MetaBaseUrl = address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        return server;
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Shopify.Admin.DeleteBulkFiles();
    }
}
