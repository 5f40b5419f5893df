using System.Text.Json;
using AdIntel.Web.Domain;

namespace AdIntel.Web.Integrations.Meta;

/// <summary>
/// An ad's creative as AdIntel keeps it, read from Meta's AdCreative node: each text taken from the first place that
/// has it, in the order dynamic creative's asset feed, then the post's story spec (link, video, photo, text or
/// catalog template data), then the creative's top-level fields (Meta omits top-level copy on dynamic creatives).
/// </summary>
public sealed record MetaAdCreative(string AdId, string? CreativeId, string Format, string? PrimaryText, string? Headline, string? Description,
    string? CallToAction, string? ThumbnailUrl, string? Link);

public sealed partial class MetaGraphClient
{
    /// <summary>The AdCreative fields read; absent ones are simply omitted by Meta.</summary>
    public const string CreativeFields =
        "id,name,body,title,call_to_action_type,object_type,image_url,video_id,thumbnail_url,object_story_spec,asset_feed_spec";

    /// <summary>Every ad of the account with its creative expanded inline (<c>/act_{id}/ads?fields=id,creative{…}</c>), all pages.</summary>
    public async Task<IReadOnlyList<MetaAdCreative>> GetAdCreativesAsync(string accessToken, string accountId, CancellationToken cancellationToken)
    {
        var rows = await GetAllAsync(accessToken, $"act_{accountId}/ads", new()
        {
            // A 600 px preview instead of Meta's default 64 px one.
            ["fields"] = $"id,creative.thumbnail_width(600).thumbnail_height(600){{{CreativeFields}}}",
        }, cancellationToken);
        return [.. rows.Where(r => Text(r, "id") is not null && r.TryGetProperty("creative", out var c) && c.ValueKind == JsonValueKind.Object)
            .Select(r => ParseCreative(Text(r, "id")!, r.GetProperty("creative")))];
    }

    /// <summary>One creative node (1.3's order: asset feed, story spec, top level); every field optional.</summary>
    public static MetaAdCreative ParseCreative(string adId, JsonElement creative)
    {
        var feed = Child(creative, "asset_feed_spec");
        var story = Child(creative, "object_story_spec");
        var link = Child(story, "link_data") ?? Child(story, "template_data");
        var video = Child(story, "video_data");
        var photo = Child(story, "photo_data");
        var text = Child(story, "text_data");
        var storyCta = Child(link, "call_to_action") ?? Child(video, "call_to_action");

        var format = feed is not null ? CreativeFormats.Dynamic
            : First(link, "child_attachments") is not null ? CreativeFormats.Carousel
            : video is not null || TextOf(creative, "video_id") is not null || TextOf(creative, "object_type") == "VIDEO" ? CreativeFormats.Video
            : CreativeFormats.Image;
        return new MetaAdCreative(
            adId,
            TextOf(creative, "id"),
            format,
            PrimaryText: TextOf(First(feed, "bodies"), "text") ?? TextOf(link, "message") ?? TextOf(video, "message") ?? TextOf(photo, "caption")
                ?? TextOf(text, "message") ?? TextOf(creative, "body"),
            Headline: TextOf(First(feed, "titles"), "text") ?? TextOf(link, "name") ?? TextOf(video, "title") ?? TextOf(creative, "title"),
            Description: TextOf(First(feed, "descriptions"), "text") ?? TextOf(link, "description") ?? TextOf(video, "link_description"),
            CallToAction: FirstString(feed, "call_to_action_types") ?? TextOf(storyCta, "type") ?? TextOf(creative, "call_to_action_type"),
            ThumbnailUrl: TextOf(creative, "thumbnail_url") ?? TextOf(creative, "image_url") ?? TextOf(video, "image_url") ?? TextOf(link, "picture"),
            Link: TextOf(First(feed, "link_urls"), "website_url") ?? TextOf(Child(storyCta, "value"), "link")
                ?? TextOf(link, "link") ?? TextOf(photo, "url"));
    }

    private static JsonElement? Child(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var child) && child.ValueKind == JsonValueKind.Object ? child : null;

    /// <summary>The first item of an array property, when it has one.</summary>
    private static JsonElement? First(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array && list.GetArrayLength() > 0
            ? list[0] : null;

    private static string? FirstString(JsonElement? element, string name) =>
        First(element, name) is { ValueKind: JsonValueKind.String } s && !string.IsNullOrWhiteSpace(s.GetString()) ? s.GetString() : null;

    private static string? TextOf(JsonElement? element, string name) =>
        element is { ValueKind: JsonValueKind.Object } e && e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && !string.IsNullOrWhiteSpace(value.GetString()) ? value.GetString() : null;
}
