using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace AdIntel.Web.Tests.Imports;

/// <summary>The fixture exports in TestData/ and helpers to upload CSV text to the import API.</summary>
internal static class ImportTestFiles
{
    public const string ShopifyOrders = "shopify_orders_export.csv";
    public const string MetaAds = "meta_ads_daily_export.csv";
    public const string ShopifyPath = "/api/import/shopify-orders";
    public const string MetaPath = "/api/import/meta-ads";

    public static string Read(string name) => File.ReadAllText(Path.Combine(Directory(), "TestData", name));

    private static string Directory([CallerFilePath] string source = "") => Path.GetDirectoryName(source)!;

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string path, string csv, string fileName = "export.csv",
        string field = "file") =>
        await UploadAsync(client, path, Encoding.UTF8.GetBytes(csv), fileName, field);

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string path, byte[] bytes, string fileName = "export.csv",
        string field = "file")
    {
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, field, fileName);
        return await client.PostAsync(path, content);
    }

    /// <summary>Uploads and returns the response's <c>data</c>, failing with the body when the status is not 200.</summary>
    public static async Task<JsonElement> ImportAsync(HttpClient client, string path, string csv)
    {
        using var response = await UploadAsync(client, path, csv);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("data").Clone();
    }

    public static async Task<JsonElement> ErrorAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(body).RootElement.GetProperty("error").Clone();
    }

    public static int Int(this JsonElement data, string name) => data.GetProperty(name).GetInt32();

    public static IReadOnlyList<(int Line, string Message)> Messages(this JsonElement data, string name) =>
        data.GetProperty(name).EnumerateArray().Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("message").GetString()!)).ToList();
}
