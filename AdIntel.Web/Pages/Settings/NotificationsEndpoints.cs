using AdIntel.Web.Alerts.Notifications;
using AdIntel.Web.Brain.Llm;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Api;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Email;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Settings;

/// <summary>
/// <c>/api/settings/notifications</c> (channels, quiet hours, digest, test messages, the delivery log) and
/// <c>/api/settings/integrations</c> (every connection's status; connecting Slack and Discord webhooks). Webhook
/// addresses go in and never come out.
/// </summary>
public static class NotificationsEndpoints
{
    public static RouteGroupBuilder MapNotificationsEndpoints(this RouteGroupBuilder api)
    {
        var notifications = api.MapGroup("/settings/notifications");
        notifications.MapGet("", GetAsync).RequireAuthorization(Policies.Viewer);
        notifications.MapPut("", PutAsync).RequireAuthorization(Policies.Marketer);
        notifications.MapGet("/deliveries", DeliveriesAsync).RequireAuthorization(Policies.Viewer);
        notifications.MapPost("/{kind}/test", TestAsync).RequireAuthorization(Policies.Marketer);

        var integrations = api.MapGroup("/settings/integrations");
        integrations.MapGet("", IntegrationsAsync).RequireAuthorization(Policies.Viewer);
        integrations.MapPost("/{kind}/connect", ConnectAsync).RequireAuthorization(Policies.Marketer);
        integrations.MapDelete("/{kind}", DisconnectAsync).RequireAuthorization(Policies.Marketer);
        return api;
    }

    public sealed record ConnectWebhookBody(string? WebhookUrl);

    /// <summary>One connection's state: <c>status</c> is connected, not_connected, needs_account, error, disabled or not_configured.</summary>
    public sealed record IntegrationStatusView(string Provider, string Status, string Label, string? Account, DateTime? LastSuccessAt, string? LastError);

    private static async Task<IResult> GetAsync(NotificationSettings settings, CancellationToken cancellationToken) =>
        ApiResults.Ok(await settings.GetAsync(cancellationToken));

    private static async Task<IResult> PutAsync(NotificationSettingsUpdate? body, NotificationSettings settings, CancellationToken cancellationToken)
    {
        if (body is null)
        {
            return ApiResults.BadRequest("Send a JSON body with channels ([{kind, enabled, minimumSeverity, recipients}]), quietHours ({enabled, start, end}) and/or digest ({enabled, hour}).");
        }
        var problems = await settings.UpdateAsync(body, cancellationToken);
        if (problems.Count > 0)
        {
            return ApiResults.Unprocessable("invalid_settings", "Some notification settings are not valid; nothing was saved.", problems);
        }
        return ApiResults.Ok(await settings.GetAsync(cancellationToken));
    }

    private static async Task<IResult> ConnectAsync(string kind, ConnectWebhookBody? body, NotificationSettings settings, CancellationToken cancellationToken)
    {
        if (kind is not (NotificationChannelKinds.Slack or NotificationChannelKinds.Discord))
        {
            return ApiResults.NotFound($"The integration '{kind}' to connect");
        }
        if (body is null)
        {
            return ApiResults.BadRequest("Send a JSON body with webhookUrl.");
        }
        var (channel, problem) = await settings.ConnectWebhookAsync(kind, body.WebhookUrl, cancellationToken);
        return channel is null
            ? ApiResults.Unprocessable("invalid_webhook_url", problem!, new Dictionary<string, string> { ["webhookUrl"] = problem! })
            : ApiResults.Ok(channel);
    }

    private static async Task<IResult> DisconnectAsync(string kind, NotificationSettings settings, CancellationToken cancellationToken) =>
        NotificationChannelKinds.All.Contains(kind) && await settings.DisconnectAsync(kind, cancellationToken)
            ? ApiResults.Ok(new { kind, connected = false })
            : ApiResults.NotFound($"A {kind} channel");

    private static async Task<IResult> TestAsync(string kind, NotificationSettings settings, NotificationSender sender, CancellationToken cancellationToken)
    {
        if (!NotificationChannelKinds.All.Contains(kind) || await settings.FindChannelAsync(kind, cancellationToken) is not { } channel)
        {
            return ApiResults.NotFound($"A connected {kind} channel");
        }
        var delivery = await sender.SendTestAsync(channel, cancellationToken);
        return ApiResults.Ok(new { kind, status = delivery.Status, error = delivery.LastError, channelEnabled = channel.Enabled });
    }

    private static async Task<IResult> DeliveriesAsync(NotificationSettings settings, CancellationToken cancellationToken) =>
        ApiResults.List(await settings.ListDeliveriesAsync(100, cancellationToken));

    private static async Task<IResult> IntegrationsAsync(AdIntelDbContext db, NotificationSettings settings, IEmailSender email, LlmChatClients llm,
        CancellationToken cancellationToken) =>
        ApiResults.Ok(await ReadIntegrationsAsync(db, settings, email, llm, cancellationToken));

    /// <summary>Every connection's state: the data of <c>GET /api/settings/integrations</c> and the integrations section of <c>GET /api/settings</c>.</summary>
    public static async Task<IReadOnlyList<IntegrationStatusView>> ReadIntegrationsAsync(AdIntelDbContext db, NotificationSettings settings, IEmailSender email,
        LlmChatClients llm, CancellationToken cancellationToken)
    {
        var connections = await db.IntegrationConnections.AsNoTracking().ToListAsync(cancellationToken);
        var statuses = new List<IntegrationStatusView>();
        foreach (var provider in new[] { IntegrationProviders.Shopify, IntegrationProviders.Meta })
        {
            var connection = connections.FirstOrDefault(c => c.Provider == provider);
            var card = new IntegrationsModel.ConnectionCard(provider, connection, [], DateTime.MinValue, false);
            statuses.Add(new IntegrationStatusView(provider, connection is null or { Status: IntegrationStatuses.Disconnected } ? "not_connected" : connection.Status,
                card.StatusLabel, connection is null or { ExternalAccountId: "" } ? null : connection.DisplayName ?? connection.ExternalAccountId,
                connection?.LastSyncSucceededAtUtc, connection?.LastError));
        }
        var channels = (await settings.GetAsync(cancellationToken)).Channels;
        foreach (var channel in channels)
        {
            var (status, label) = channel switch
            {
                { Kind: NotificationChannelKinds.Email } when !email.IsConfigured => ("not_configured", "No SMTP server configured"),
                { Connected: false } => ("not_connected", "Not connected"),
                { DisabledReason: not null } => ("error", "Needs attention: the webhook was revoked"),
                { Enabled: false } => ("disabled", "Turned off"),
                _ => ("connected", "Connected"),
            };
            statuses.Add(new IntegrationStatusView(channel.Kind, status, label,
                channel.Kind == NotificationChannelKinds.Email ? (channel.Recipients.Count == 0 ? null : string.Join(", ", channel.Recipients)) : channel.WebhookHint,
                null, channel.DisabledReason));
        }
        statuses.Add(llm.IsConfigured
            ? new IntegrationStatusView("llm", "connected", $"{llm.Options.ProviderLabel}, model {llm.Options.Model}", llm.Options.ProviderLabel, null, null)
            : new IntegrationStatusView("llm", "not_configured", "Not configured: recommendations use deterministic text", null, null, null));
        return statuses;
    }
}
