using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Alerts.Notifications;

/// <summary>One figure as a message shows it ("Spend today", "412.50 USD").</summary>
public sealed record NotificationField(string Name, string Value);

/// <summary>
/// What a notification says, before it is shaped for a channel: an alert's title, message, figures and link, a digest's
/// list of alerts, or a test. Nothing but what the alert itself says.
/// </summary>
public sealed record NotificationMessage(string Title, string Body, string? Severity, IReadOnlyList<NotificationField> Fields, string? Link,
    DateTimeOffset Timestamp, string Footer)
{
    /// <summary>Slack incoming webhook: <c>text</c> (the notification and fallback text) and blocks in mrkdwn.</summary>
    public JsonObject ToSlack()
    {
        var headline = Severity is null ? Title : $"{SeverityLabel(Severity)}: {Title}";
        var blocks = new JsonArray
        {
            Section($"*{Escape(headline)}*\n{Escape(Body)}"),
        };
        if (Fields.Count > 0)
        {
            // Slack allows at most ten fields in a section.
            blocks.Add(new JsonObject
            {
                ["type"] = "section",
                ["fields"] = new JsonArray(Fields.Take(10).Select(f => (JsonNode)new JsonObject { ["type"] = "mrkdwn", ["text"] = $"*{Escape(f.Name)}*\n{Escape(f.Value)}" }).ToArray()),
            });
        }
        var context = Link is null ? Escape(Footer) : $"{Escape(Footer)} · <{Link}|Open in AdIntel>";
        blocks.Add(new JsonObject
        {
            ["type"] = "context",
            ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = context }),
        });
        return new JsonObject
        {
            ["text"] = Cut($"{headline}: {Body}" + (Link is null ? "" : $" {Link}"), 3000),
            ["blocks"] = blocks,
        };

        static JsonObject Section(string text) => new() { ["type"] = "section", ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Cut(text, 3000) } };
    }

    /// <summary>Discord webhook: one embed coloured by severity, mentions disabled, within Discord's length limits.</summary>
    public JsonObject ToDiscord()
    {
        var embed = new JsonObject
        {
            ["title"] = Cut(Severity is null ? Title : $"{SeverityLabel(Severity)}: {Title}", 256),
            ["description"] = Cut(Body, 4096),
            ["color"] = Colour(Severity),
            ["timestamp"] = Timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["fields"] = new JsonArray(Fields.Take(25).Select(f => (JsonNode)new JsonObject
            {
                ["name"] = Cut(f.Name, 256),
                ["value"] = Cut(f.Value, 1024),
                ["inline"] = true,
            }).ToArray()),
            ["footer"] = new JsonObject { ["text"] = Cut(Footer, 2048) },
        };
        if (Link is not null)
        {
            embed["url"] = Link;
        }
        return new JsonObject
        {
            ["username"] = "AdIntel",
            ["allowed_mentions"] = new JsonObject { ["parse"] = new JsonArray() },
            ["embeds"] = new JsonArray(embed),
        };
    }

    public string EmailSubject => Severity is null ? $"AdIntel: {Title}" : $"AdIntel {SeverityLabel(Severity).ToLowerInvariant()} alert: {Title}";

    public string EmailText
    {
        get
        {
            var text = new StringBuilder().AppendLine(Title).AppendLine().AppendLine(Body);
            if (Fields.Count > 0)
            {
                text.AppendLine();
                foreach (var figure in Fields)
                {
                    text.AppendLine(CultureInfo.InvariantCulture, $"{figure.Name}: {figure.Value}");
                }
            }
            if (Link is not null)
            {
                text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Open in AdIntel: {Link}");
            }
            return text.AppendLine().AppendLine(Footer).ToString();
        }
    }

    public static string SeverityLabel(string severity) => severity.Length == 0 ? severity : char.ToUpperInvariant(severity[0]) + severity[1..];

    /// <summary>Discord's embed colour (0xRRGGBB): grey, amber, orange, red by severity; AdIntel blue otherwise.</summary>
    public static int Colour(string? severity) => severity switch
    {
        AlertSeverities.Low => 0x8A94A6,
        AlertSeverities.Medium => 0xF2C94C,
        AlertSeverities.High => 0xF2994A,
        AlertSeverities.Critical => 0xEB5757,
        _ => 0x2F80ED,
    };

    /// <summary>Slack mrkdwn's control characters, escaped as Slack asks.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
