using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AdIntel.Web.Domain;
using Xunit.Abstractions;

namespace AdIntel.Web.Tests.Security;

/// <summary>
/// Sends malformed input to every API endpoint (found through the endpoint data source) as the store's owner:
/// broken and hostile JSON, wrong content types, binary junk, oversize bodies and uploads, nonsense route and query
/// values. Every answer must be a 4xx with the contract's error body, or a success — never a 5xx.
/// </summary>
[Collection(LocalAppCollection.Name)]
public sealed class FuzzTests(AppFixture fixture, ITestOutputHelper output)
{
    private static readonly string[] RouteValues = ["abc", "-1", "0", "99999999999999999999", "1.5", "..%2F..%2Fetc", "9223372036854775807"];

    private static readonly string[] QueryValues =
        ["", "abc", "-1", "9999-99-99", "2024-02-30", "2024-01-01T00:00", "0001-01-01", "9999-12-31", "'; DROP TABLE \"Orders\"; --", "%00%01",
            "a,b,,c,,,", new string('9', 400), "😀", "<script>alert(1)</script>"];

    private static IEnumerable<(string Name, HttpContent Content)> Bodies()
    {
        static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");
        yield return ("empty json", Json(""));
        yield return ("truncated", Json("{\"a\":"));
        yield return ("null", Json("null"));
        yield return ("array", Json("[1,2,3]"));
        yield return ("string", Json("\"text\""));
        yield return ("wrong types", Json("{\"paymentFeePercent\":\"lots\",\"paymentFeeFixed\":[],\"shippingCostPerOrder\":{},\"otherMarketingCostPerMonth\":true}"));
        yield return ("huge number", Json("{\"paymentFeePercent\":1e400,\"paymentFeeFixed\":-1e400,\"shippingCostPerOrder\":79228162514264337593543950336,\"otherMarketingCostPerMonth\":1}"));
        yield return ("NaN", Json("{\"paymentFeePercent\":NaN,\"paymentFeeFixed\":Infinity}"));
        yield return ("deep nesting", Json(new string('[', 5000) + new string(']', 5000)));
        yield return ("duplicate keys", Json("{\"paymentFeePercent\":1,\"paymentFeePercent\":2}"));
        yield return ("long string", Json("{\"name\":\"" + new string('x', 60_000) + "\"}"));
        yield return ("invalid utf-8", new ByteArrayContent([0x7B, 0x22, 0xC3, 0x28, 0xFF, 0xFE, 0x22, 0x3A, 0x31, 0x7D]) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } });
        yield return ("binary", new ByteArrayContent([.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 % 256))]) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } });
        yield return ("text/plain", new StringContent("hello", Encoding.UTF8, "text/plain"));
        yield return ("form", new FormUrlEncodedContent(new Dictionary<string, string> { ["paymentFeePercent"] = "1" }));
        yield return ("multipart without file", new MultipartFormDataContent { { new StringContent("x"), "other" } });
        yield return ("multipart junk file", new MultipartFormDataContent { { new ByteArrayContent([0, 1, 2, 0xFF, 0xFE, 0, 0]), "file", "x.csv" } });
        yield return ("multipart empty file", new MultipartFormDataContent { { new ByteArrayContent([]), "file", "empty.csv" } });
        yield return ("multipart exe", new MultipartFormDataContent { { new ByteArrayContent("MZ\u0090\0"u8.ToArray()), "file", "evil.exe" } });
        yield return ("multipart csv quotes", new MultipartFormDataContent { { new StringContent("\"a,\"b\"\n\"unterminated\n,,,,\n"), "file", "q.csv" } });
        var brokenBoundary = new ByteArrayContent("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\nno end"u8.ToArray());
        brokenBoundary.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");
        yield return ("multipart broken", brokenBoundary);
        var noBoundary = new ByteArrayContent("junk"u8.ToArray());
        noBoundary.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data");
        yield return ("multipart without boundary", noBoundary);
        yield return ("oversize json", Json("{\"padding\":\"" + new string('x', 300_000) + "\"}"));
        yield return ("oversize upload", new MultipartFormDataContent { { new ByteArrayContent(new byte[1_300_000]), "file", "big.csv" } });
    }

    [Theory]
    [MemberData(nameof(AppFixture.Providers), MemberType = typeof(AppFixture))]
    public async Task Malformed_input_to_every_api_endpoint_never_gets_a_server_error(string provider)
    {
        await using var app = await fixture.StartLocalAsync(provider, new Dictionary<string, string?>
        {
            ["Import:MaxFileMegabytes"] = "1",
            ["Security:MaxRequestBodyKilobytes"] = "128",
        });
        var storeId = await app.CreateStoreAsync();
        var api = await app.CreateTokenClientAsync(storeId, StoreRole.Owner);
        var routes = (await EndpointCatalog.ListAsync(app.App.Services)).Where(r => r.IsApi).ToList();
        var problems = new List<string>();
        var requests = 0;
        var statuses = new SortedDictionary<int, int>();

        async Task SendAsync(AppRoute route, string url, string what, HttpContent? content)
        {
            requests++;
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), url) { Content = content };
            using var response = await api.SendAsync(request);
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            var body = await response.Content.ReadAsStringAsync();
            if (status >= 500)
            {
                problems.Add($"{route.Method} {url} ({what}) → {status}: {body[..Math.Min(body.Length, 200)]}");
            }
            else if (status >= 400 && !IsErrorEnvelope(body))
            {
                problems.Add($"{route.Method} {url} ({what}) → {status} without the error envelope: {body[..Math.Min(body.Length, 200)]}");
            }
        }

        foreach (var route in routes)
        {
            var plain = RouteWalker.Values(route, 1);
            foreach (var input in route.Inputs.Where(i => i.Source == InputSource.Route))
            {
                foreach (var value in RouteValues)
                {
                    await SendAsync(route, route.Url(new Dictionary<string, string>(plain) { [input.Name] = value }).Replace(Uri.EscapeDataString(value), value, StringComparison.Ordinal), "route " + input.Name, null);
                }
            }
            foreach (var input in route.Inputs.Where(i => i.Source != InputSource.Route))
            {
                foreach (var value in QueryValues)
                {
                    await SendAsync(route, route.Url(new Dictionary<string, string>(plain) { [input.Name] = value }), "query " + input.Name, null);
                }
            }
            await SendAsync(route, route.Url(plain) + (route.Url(plain).Contains('?', StringComparison.Ordinal) ? "&" : "?") + "unknown=1&from=x&to=y&cursor=%ZZ", "unknown query", null);
            if (route.IsUnsafe)
            {
                foreach (var (name, content) in Bodies())
                {
                    await SendAsync(route, route.Url(plain), name, content);
                }
            }
        }

        output.WriteLine($"{routes.Count} API routes, {requests} requests, {problems.Count} problems; answers: "
            + string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}")));
        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.True(routes.Count(r => r.IsUnsafe) >= 3);
    }

    private static bool IsErrorEnvelope(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("error", out var error) && error.TryGetProperty("code", out _) && error.TryGetProperty("message", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
