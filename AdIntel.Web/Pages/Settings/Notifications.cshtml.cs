using AdIntel.Web.Alerts.Notifications;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Htmx;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AdIntel.Web.Pages.Settings;

/// <summary>
/// Settings → Notifications: the store's channels (e-mail, Slack, Discord) with connect, disconnect, minimum severity and
/// "send test"; quiet hours and the daily digest; the delivery log. Marketers and owners change them, everyone reads.
/// </summary>
[Authorize(Policy = Policies.Viewer)]
public sealed class NotificationsModel(NotificationSettings settings, NotificationSender sender) : PageModel
{
    public const int LogRows = 50;

    public NotificationSettingsView View { get; private set; } = null!;
    public IReadOnlyList<NotificationDeliveryView> Deliveries { get; private set; } = [];
    /// <summary>The failed form (a channel's kind or "schedule") and its problems.</summary>
    public string? ProblemForm { get; private set; }
    public IReadOnlyDictionary<string, string> Problems { get; private set; } = new Dictionary<string, string>();
    public bool CanEdit => User.GetStoreRole() >= StoreRole.Marketer;

    [TempData]
    public string? Flash { get; set; }

    [TempData]
    public bool FlashIsError { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => await LoadAsync(cancellationToken);

    /// <summary>The delivery log alone: the page refreshes it while deliveries are pending.</summary>
    public async Task<IActionResult> OnGetLogAsync(CancellationToken cancellationToken)
    {
        Deliveries = await settings.ListDeliveriesAsync(LogRows, cancellationToken);
        return this.PartialOr("_NotificationLog", Deliveries, RedirectToPage());
    }

    public async Task<IActionResult> OnPostConnectAsync(string kind, string? webhookUrl, CancellationToken cancellationToken)
    {
        if (!CanEdit || kind is not (NotificationChannelKinds.Slack or NotificationChannelKinds.Discord))
        {
            return Forbid();
        }
        var (_, problem) = await settings.ConnectWebhookAsync(kind, webhookUrl, cancellationToken);
        return problem is null
            ? Done($"{NotificationChannelKinds.Label(kind)} connected. Send a test to check it.")
            : await FailedAsync(kind, new Dictionary<string, string> { ["webhookUrl"] = problem }, cancellationToken);
    }

    public async Task<IActionResult> OnPostDisconnectAsync(string kind, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        await settings.DisconnectAsync(kind, cancellationToken);
        return Done($"{NotificationChannelKinds.Label(kind)} disconnected.");
    }

    public async Task<IActionResult> OnPostChannelAsync(string kind, bool enabled, string? minimumSeverity, string? recipients, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        var list = kind == NotificationChannelKinds.Email ? NotificationSettings.SplitRecipients(recipients) : null;
        var problems = await settings.UpdateAsync(new NotificationSettingsUpdate([new NotificationChannelUpdate(kind, enabled, minimumSeverity, list)], null, null), cancellationToken);
        return problems.Count == 0 ? Done($"{NotificationChannelKinds.Label(kind)} saved.") : await FailedAsync(kind, problems, cancellationToken);
    }

    public async Task<IActionResult> OnPostScheduleAsync(bool quietHoursEnabled, string? quietHoursStart, string? quietHoursEnd, bool digestEnabled, string? digestHour,
        CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        var problems = await settings.UpdateAsync(new NotificationSettingsUpdate(null,
            new QuietHoursUpdate(quietHoursEnabled, quietHoursStart ?? "", quietHoursEnd ?? ""),
            // Read as text: a form field that is no hour is a problem to show, not a silently missing value.
            new DigestUpdate(digestEnabled, int.TryParse(digestHour, System.Globalization.CultureInfo.InvariantCulture, out var hour) ? hour : -1)), cancellationToken);
        return problems.Count == 0 ? Done("Quiet hours and digest saved.") : await FailedAsync("schedule", problems, cancellationToken);
    }

    public async Task<IActionResult> OnPostTestAsync(string kind, CancellationToken cancellationToken)
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        if (await settings.FindChannelAsync(kind, cancellationToken) is not { } channel)
        {
            return await FailedAsync(kind, new Dictionary<string, string> { ["channel"] = "Connect it first." }, cancellationToken);
        }
        var delivery = await sender.SendTestAsync(channel, cancellationToken);
        var label = NotificationChannelKinds.Label(kind);
        return delivery.Status == NotificationDeliveryStatuses.Sent
            ? Done($"Test message sent to {label}.")
            : Done($"The {label} test failed: {delivery.LastError}" + (channel.Enabled ? "" : " The channel was turned off."), error: true);
    }

    public string? Problem(string form, string field) =>
        ProblemForm == form ? Problems.FirstOrDefault(p => p.Key == field || p.Key.EndsWith("." + field, StringComparison.Ordinal)).Value : null;

    /// <summary>Problems of the form not tied to one of its fields.</summary>
    public IEnumerable<string> OtherProblems(string form, params string[] fields) =>
        ProblemForm == form ? Problems.Where(p => !fields.Any(f => p.Key == f || p.Key.EndsWith("." + f, StringComparison.Ordinal))).Select(p => p.Value) : [];

    private RedirectToPageResult Done(string message, bool error = false)
    {
        Flash = message;
        FlashIsError = error;
        return RedirectToPage();
    }

    private async Task<IActionResult> FailedAsync(string form, IReadOnlyDictionary<string, string> problems, CancellationToken cancellationToken)
    {
        ProblemForm = form;
        Problems = problems;
        await LoadAsync(cancellationToken);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        View = await settings.GetAsync(cancellationToken);
        Deliveries = await settings.ListDeliveriesAsync(LogRows, cancellationToken);
    }
}
