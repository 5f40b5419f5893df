using System.Collections.Concurrent;
using System.Text.Json;

namespace AdIntel.Web.Brain.Llm;

/// <summary>
/// The system prompts and reply schemas, kept as versioned files in <c>Brain/Llm/Prompts/</c> (copied to the output):
/// a change of wording is a new version, whose name is part of the cache key and of the log lines.
/// </summary>
public static class LlmPrompts
{
    /// <summary>The expert media buyer who rewrites recommendations.</summary>
    public const string MediaBuyer = "media-buyer.v1";

    /// <summary>The same media buyer answering a question with the product's read-only tools.</summary>
    public const string Ask = "ask.v1";

    /// <summary>The JSON schema a rewrite must match.</summary>
    public const string NarrationSchema = "narration.schema.v1";

    /// <summary>The direct-response copywriter of the Creative Studio.</summary>
    public const string Copywriter = "copywriter.v1";

    /// <summary>The JSON schema the copywriter's variants must match.</summary>
    public const string VariantsSchema = "variants.schema.v1";

    private static readonly ConcurrentDictionary<string, string> Texts = new();

    public static string Text(string name) => Texts.GetOrAdd(name + ".md", Read);

    public static JsonElement Schema(string name) => JsonDocument.Parse(Texts.GetOrAdd(name + ".json", Read)).RootElement.Clone();

    private static string Read(string file) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Brain", "Llm", "Prompts", file)).Trim();
}
