using System.Globalization;
using System.Text.Json;

namespace AdIntel.Web.Brain.Llm;

/// <summary>
/// Checks a model's JSON against the schema it was asked to follow, for the keywords the reply schemas use: type,
/// properties, required, additionalProperties, items, minItems/maxItems, minLength/maxLength, enum. Providers that
/// promise schema-conforming output still send other shapes (older models, local servers), so nothing is trusted unchecked.
/// </summary>
public static class JsonSchemaCheck
{
    /// <summary>Null when <paramref name="value"/> matches, else where and why it does not (a path, no content).</summary>
    public static string? FirstError(JsonElement schema, JsonElement value, string path = "$")
    {
        if (schema.TryGetProperty("type", out var type) && !HasType(type, value))
        {
            return $"{path}: expected {type}, got {value.ValueKind}";
        }
        if (schema.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, value)))
        {
            return $"{path}: not one of the allowed values";
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = schema.TryGetProperty("properties", out var p) ? p : default;
                if (schema.TryGetProperty("required", out var required))
                {
                    foreach (var name in required.EnumerateArray().Select(r => r.GetString()!))
                    {
                        if (!value.TryGetProperty(name, out _))
                        {
                            return $"{path}: missing required property {name}";
                        }
                    }
                }
                foreach (var property in value.EnumerateObject())
                {
                    if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(property.Name, out var propertySchema))
                    {
                        if (FirstError(propertySchema, property.Value, path + "." + property.Name) is { } error)
                        {
                            return error;
                        }
                    }
                    else if (schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.False)
                    {
                        return $"{path}: unexpected property";
                    }
                }
                break;
            case JsonValueKind.Array:
                var count = value.GetArrayLength();
                if (Limit(schema, "minItems") is { } minItems && count < minItems || Limit(schema, "maxItems") is { } maxItems && count > maxItems)
                {
                    return $"{path}: {count} items is outside the allowed number";
                }
                if (schema.TryGetProperty("items", out var items))
                {
                    var index = 0;
                    foreach (var item in value.EnumerateArray())
                    {
                        if (FirstError(items, item, path + "[" + index.ToString(CultureInfo.InvariantCulture) + "]") is { } error)
                        {
                            return error;
                        }
                        index++;
                    }
                }
                break;
            case JsonValueKind.String:
                var length = value.GetString()!.Length;
                if (Limit(schema, "minLength") is { } minLength && length < minLength || Limit(schema, "maxLength") is { } maxLength && length > maxLength)
                {
                    return $"{path}: a text of {length} characters is outside the allowed length";
                }
                break;
        }
        return null;
    }

    private static int? Limit(JsonElement schema, string keyword) =>
        schema.TryGetProperty(keyword, out var limit) && limit.TryGetInt32(out var n) ? n : null;

    private static bool HasType(JsonElement type, JsonElement value) => type.ValueKind == JsonValueKind.Array
        ? type.EnumerateArray().Any(t => HasType(t, value))
        : type.GetString() switch
        {
            "object" => value.ValueKind == JsonValueKind.Object,
            "array" => value.ValueKind == JsonValueKind.Array,
            "string" => value.ValueKind == JsonValueKind.String,
            "number" => value.ValueKind == JsonValueKind.Number,
            "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
            "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "null" => value.ValueKind == JsonValueKind.Null,
            _ => false,
        };
}
