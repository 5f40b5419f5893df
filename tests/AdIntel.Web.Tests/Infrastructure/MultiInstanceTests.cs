using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AdIntel.Fakes.Shopify;
using AdIntel.Web.Domain;
using AdIntel.Web.Rules.Execution;
using AdIntel.Web.Tests.Imports;
using AdIntel.Web.Tests.Integrations.Shopify;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Npgsql;
using Xunit.Abstractions;

namespace AdIntel.Web.Tests.Infrastructure;

/// <summary>
/// Two real app processes (the build output of AdIntel.Web, started at the same moment on two loopback ports) on one
/// fresh PostgreSQL database, with the demo store and local accounts: one migrates and seeds while the other waits, both
/// serve, a session made on one is good on the other, an upload sent to one is imported by whichever instance's worker
/// takes the job, a webhook delivered to both is applied once, and a store's rule run happens once per slot however
/// many of its jobs the two instances' workers pick up. PostgreSQL only (the point is the shared database); like every
/// PostgreSQL test it fails, never skips, without ADINTEL_TEST_POSTGRES.
/// </summary>
[Collection(AppCollection.Name)]
public sealed partial class MultiInstanceTests(AppFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private const string Shop = "multi-instance.myshopify.com";
    private const string ShopifySecret = "multi-instance-secret";
    private const string Password = "correct horse battery staple";
    /// <summary>About 15 s on an idle machine; far longer while the rest of the suite runs beside it.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly List<AppProcess> _instances = [];
    private string _database = "";

    public async Task InitializeAsync()
    {
        _database = await fixture.CreateDatabaseAsync(AppFixture.Postgres);
        var ports = FreePorts(2);
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["Database__Provider"] = "Postgres",
            ["ConnectionStrings__AdIntel"] = _database,
            ["Demo__Enabled"] = "true",
            // A small demo store: the seed runs while the other instance waits.
            ["Demo__Orders"] = "1000",
            ["Demo__Months"] = "3",
            ["Auth__Mode"] = "Local",
            ["Auth__PublicUrl"] = AppFixture.LocalPublicUrl,
            ["Smtp__Host"] = "127.0.0.1",
            ["Smtp__Port"] = fixture.Smtp.Port.ToString(CultureInfo.InvariantCulture),
            ["Smtp__From"] = "AdIntel <adintel@adintel.test>",
            ["Smtp__Security"] = "None",
            ["Shopify__ClientId"] = "multi-instance-client",
            ["Shopify__ClientSecret"] = ShopifySecret,
        };
        // Both processes are created first, then started back to back: they reach the empty database together.
        foreach (var (port, name) in ports.Zip(["A", "B"]))
        {
            _instances.Add(new AppProcess(name, port, new Dictionary<string, string>(settings)
            {
                ["Urls"] = $"http://127.0.0.1:{port}",
                ["Logging__Directory"] = Path.Combine(fixture.TempDirectory, "multi-logs-" + name + "-" + Guid.NewGuid().ToString("N")[..8]),
            }));
        }
        foreach (var instance in _instances)
        {
            instance.Start();
        }
    }

    [Fact]
    public async Task Two_instances_on_one_postgres_database_share_the_work_and_do_each_thing_once()
    {
        var (a, b) = (_instances[0], _instances[1]);
        foreach (var instance in _instances)
        {
            await Eventually.HoldsAsync(() => instance.IsReadyAsync(), $"Instance {instance.Name} should become healthy (/api/health/ready)",
                timeout: StartTimeout, describe: Describe);
        }
        // One migrated and seeded, the other waited for it and found the demo store there.
        Assert.Equal(1, await ScalarAsync<long>("""SELECT count(*) FROM "Stores" WHERE "IsDemo" """));
        Assert.True(_instances.Count(i => i.Output.Contains("\"Demo Outfitters\" ready in", StringComparison.Ordinal)) == 1, Describe());
        // Hangfire's schema too was made by one instance at a time.
        Assert.False(_instances.Any(i => i.Output.Contains("Error while executing install/upgrade", StringComparison.Ordinal)), Describe());
        var demoStoreId = await ScalarAsync<long>("""SELECT "Id" FROM "Stores" WHERE "IsDemo" """);

        // A person set up on A is signed in on B: the cookie's keys are shared in the database.
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false });
        using (var setup = await browser.PostAsync(a.Url("/account/setup"), Form(await TokenAsync(browser, a.Url("/account/setup")),
            ("Input.Email", "owner@adintel.test"), ("NewPassword.Password", Password), ("NewPassword.ConfirmPassword", Password))))
        {
            Assert.True(setup.StatusCode == HttpStatusCode.Redirect, $"Setup on A: {(int)setup.StatusCode} {await setup.Content.ReadAsStringAsync()}");
        }
        using (var members = await browser.GetAsync(b.Url("/settings/members")))
        {
            Assert.True(members.StatusCode == HttpStatusCode.OK, $"B should accept A's session, answered {(int)members.StatusCode} {members.Headers.Location}");
        }
        // An antiforgery token issued by B is good on A as well.
        var apiToken = await TokenAsync(browser, b.Url("/imports"));

        await UploadIsImportedByEitherInstanceAsync(browser, a, apiToken, demoStoreId);
        await WebhookDeliveredToBothIsAppliedOnceAsync(demoStoreId);
        await RuleRunsOncePerSlotAsync(browser, a, apiToken, demoStoreId);
    }

    private async Task UploadIsImportedByEitherInstanceAsync(HttpClient browser, AppProcess a, string apiToken, long demoStoreId)
    {
        using var content = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(ImportTestFiles.Read(ImportTestFiles.ShopifyOrders)));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        content.Add(file, "file", ImportTestFiles.ShopifyOrders);
        using var request = new HttpRequestMessage(HttpMethod.Post, a.Url(ImportTestFiles.ShopifyPath)) { Content = content };
        request.Headers.Add("RequestVerificationToken", apiToken);
        using var response = await browser.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Import on A: {(int)response.StatusCode} {body}{Environment.NewLine}{Describe()}");

        Assert.Equal(RunStatuses.Succeeded, await ScalarAsync<string>($"""SELECT "Status" FROM "ImportRuns" WHERE "StoreId" = {demoStoreId}"""));
        // The upload is deleted once the run has ended (just after its result is recorded).
        await Eventually.HoldsAsync(async () => await ScalarAsync<long>("""SELECT count(*) FROM "ImportUploadChunks" """) == 0,
            "The import's upload should be deleted from the database once its run ended", () => Task.FromResult(Describe()));
        var servers = await ProcessingServersAsync("ImportJob");
        output.WriteLine($"The import job ran on {string.Join(", ", servers)}");
        Assert.Single(servers);
    }

    private async Task WebhookDeliveredToBothIsAppliedOnceAsync(long demoStoreId)
    {
        await ExecuteAsync($$"""
            INSERT INTO "IntegrationConnections" ("StoreId", "Provider", "ExternalAccountId", "Status", "CheckpointJson", "ConnectedAtUtc", "UpdatedAtUtc")
            VALUES ({{demoStoreId}}, '{{IntegrationProviders.Shopify}}', '{{Shop}}', '{{IntegrationStatuses.Connected}}', '{}', now(), now())
            """);
        var body = FakeShopifyPayloads.Order(ShopifyWebhookTests.NewOrder(990_001, ShopifyWebhookTests.NewCustomer(990_002)));
        var hmac = FakeShopifyWebhooks.Sign(Encoding.UTF8.GetBytes(body), ShopifySecret);
        using var client = new HttpClient();
        async Task<string> DeliverAsync(AppProcess instance)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, instance.Url("/api/webhooks/shopify")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Shopify-Hmac-Sha256", hmac);
            request.Headers.Add("X-Shopify-Topic", "orders/create");
            request.Headers.Add("X-Shopify-Shop-Domain", Shop);
            request.Headers.Add("X-Shopify-Webhook-Id", Guid.NewGuid().ToString());
            request.Headers.Add("X-Shopify-Event-Id", "multi-instance-event");
            using var response = await client.SendAsync(request);
            var answer = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"Webhook on {instance.Name}: {(int)response.StatusCode} {answer}");
            return answer;
        }

        var answers = await Task.WhenAll(_instances.Select(i => Task.Run(() => DeliverAsync(i))));

        Assert.Single(answers, o => o.Contains("\"processed\"", StringComparison.Ordinal));
        Assert.Single(answers, o => o.Contains("\"duplicate\"", StringComparison.Ordinal));
        Assert.Equal(1, await ScalarAsync<long>("""SELECT count(*) FROM "WebhookReceipts" """));
        Assert.Equal(1, await ScalarAsync<long>($"""SELECT count(*) FROM "Orders" WHERE "StoreId" = {demoStoreId} AND "ExternalId" = '990001'"""));
    }

    private async Task RuleRunsOncePerSlotAsync(HttpClient browser, AppProcess a, string apiToken, long demoStoreId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, a.Url("/api/rules"))
        {
            Content = JsonContent(new
            {
                name = "Every campaign, once per slot",
                scope = "campaign",
                expression = "spend_7d >= 0",
                actions = new object[] { new { type = "notify", message = "seen" } },
                riskLevel = "low",
                automationMode = "auto_all",
                schedule = new { everyMinutes = 60 },
            }),
        };
        request.Headers.Add("RequestVerificationToken", apiToken);
        using var created = await browser.SendAsync(request);
        var body = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"Rule on A: {(int)created.StatusCode} {body}");
        var ruleId = JsonDocument.Parse(body).RootElement.GetProperty("data").GetProperty("id").GetInt64();
        // Made before the current slot began, so this slot is due.
        await ExecuteAsync($"""UPDATE "Rules" SET "CreatedAtUtc" = now() - interval '1 day' WHERE "Id" = {ruleId}""");

        // Both instances registered the same three dispatchers and nothing per store.
        Assert.Equal(["anomalies:dispatch", "recommendations:dispatch", "rules:dispatch"], await RecurringJobIdsAsync(":dispatch"));
        Assert.Empty(await RecurringJobIdsAsync(":store-"));
        // The store's job enqueued several times for one slot (as retries, or a dispatch run again, would), picked up
        // by whichever instance's workers are free.
        var storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(_database, new PostgreSqlStorageOptions()),
            new PostgreSqlStorageOptions { PrepareSchemaIfNecessary = false });
        var jobs = new BackgroundJobClient(storage);
        for (var trigger = 0; trigger < 6; trigger++)
        {
            jobs.Enqueue<RunStoreRulesJob>(j => j.RunAsync(demoStoreId, CancellationToken.None));
        }
        await Eventually.HoldsAsync(async () => await ScalarAsync<long>($"""
                SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%RunStoreRulesJob%' AND statename = 'Succeeded'
                """) >= 6,
            "All six rule jobs should have succeeded", async () => Describe() + await JobsAsync());

        var runs = await ScalarAsync<long>($"""SELECT count(*) FROM "RuleExecutions" WHERE "RuleId" = {ruleId}""");
        var servers = await ProcessingServersAsync("RunStoreRulesJob");
        output.WriteLine($"Six rule jobs ran on {string.Join(", ", servers)}; {runs} rule run(s) logged");
        Assert.Equal(1, runs);
        Assert.Equal(RuleExecutionStatuses.Succeeded, await ScalarAsync<string>($"""SELECT "Status" FROM "RuleExecutions" WHERE "RuleId" = {ruleId}"""));
        // Each campaign's action once: as many action records as the one run took or queued.
        var (actions, logged) = (await ScalarAsync<long>($"""SELECT count(*) FROM "ActionRecords" WHERE "RuleId" = {ruleId}"""),
            await ScalarAsync<int>($"""SELECT "ActionsExecuted" + "ActionsQueued" FROM "RuleExecutions" WHERE "RuleId" = {ruleId}"""));
        output.WriteLine($"{actions} action records, {logged} in the run's log");
        Assert.Equal(logged, actions);
    }

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }
    }

    private string Describe() => string.Join(Environment.NewLine, _instances.Select(i => $"--- instance {i.Name} ---{Environment.NewLine}{i.Output}"));

    /// <summary>The Hangfire servers (one per instance) that processed jobs of <paramref name="jobType"/>.</summary>
    private async Task<List<string>> ProcessingServersAsync(string jobType)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"""
            SELECT DISTINCT s.data::json->>'ServerId' FROM hangfire.state s JOIN hangfire.job j ON j.id = s.jobid
            WHERE s.name = 'Processing' AND j.invocationdata::text LIKE '%{jobType}%'
            """, connection);
        var servers = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            servers.Add(reader.GetString(0));
        }
        return servers;
    }

    /// <summary>The ids of the recurring jobs registered in Hangfire's storage that contain <paramref name="part"/>.</summary>
    private async Task<List<string>> RecurringJobIdsAsync(string part)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT value FROM hangfire.set WHERE key = 'recurring-jobs' AND value LIKE '%' || @part || '%' ORDER BY value", connection);
        command.Parameters.AddWithValue("part", part);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }
        return ids;
    }

    private async Task<string> JobsAsync()
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, statename, invocationdata::text FROM hangfire.job ORDER BY id", connection);
        var text = new StringBuilder(Environment.NewLine + "--- hangfire.job ---" + Environment.NewLine);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{reader.GetInt64(0)} {(reader.IsDBNull(1) ? "" : reader.GetString(1))} {reader.GetString(2)[..Math.Min(120, reader.GetString(2).Length)]}");
        }
        return text.ToString();
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> TokenAsync(HttpClient browser, Uri page)
    {
        using var response = await browser.GetAsync(page);
        var html = await response.Content.ReadAsStringAsync();
        var match = AntiforgeryField().Match(html);
        Assert.True(match.Success, $"{page} ({(int)response.StatusCode}) has no antiforgery field");
        return WebUtility.HtmlDecode(match.Groups["token"].Value);
    }

    private static FormUrlEncodedContent Form(string token, params (string Name, string Value)[] fields) =>
        new([new("__RequestVerificationToken", token), .. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))]);

    private static StringContent JsonContent(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    private static List<int> FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        listeners.ForEach(l => l.Start());
        var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToList();
        listeners.ForEach(l => l.Stop());
        return ports;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    /// <summary>One app process from AdIntel.Web's build output (the configuration this test assembly was built in).</summary>
    private sealed class AppProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly HttpClient _health = new() { Timeout = TimeSpan.FromSeconds(5) };

        public AppProcess(string name, int port, IReadOnlyDictionary<string, string> environment)
        {
            Name = name;
            Port = port;
            var directory = AppOutputDirectory();
            var start = new ProcessStartInfo("dotnet", [Path.Combine(directory, "AdIntel.Web.dll")])
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }
            _process = new Process { StartInfo = start };
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
        }

        public string Name { get; }

        public int Port { get; }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public Uri Url(string path) => new($"http://127.0.0.1:{Port}{path}");

        public void Start()
        {
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public async Task<bool> IsReadyAsync()
        {
            Assert.False(_process.HasExited, $"Instance {Name} exited with code {(_process.HasExited ? _process.ExitCode : 0)}:{Environment.NewLine}{Output}");
            try
            {
                using var response = await _health.GetAsync(Url("/api/health/ready"));
                return response.StatusCode == HttpStatusCode.OK;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }

        public async ValueTask DisposeAsync()
        {
            _health.Dispose();
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
                // Never started (the test failed before): nothing to stop.
            }
            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }

        /// <summary>AdIntel.Web/bin/&lt;configuration&gt;/&lt;framework&gt;, beside this test assembly's own bin/&lt;configuration&gt;/&lt;framework&gt;.</summary>
        private static string AppOutputDirectory()
        {
            var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var (framework, configuration) = (testOutput.Name, testOutput.Parent!.Name);
            var root = testOutput;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "AdIntel.sln")))
            {
                root = root.Parent;
            }
            var directory = Path.Combine(root?.FullName ?? throw new InvalidOperationException("AdIntel.sln not found above " + AppContext.BaseDirectory),
                "AdIntel.Web", "bin", configuration, framework);
            return File.Exists(Path.Combine(directory, "AdIntel.Web.dll"))
                ? directory
                : throw new InvalidOperationException($"AdIntel.Web.dll is not built in {directory}: build the solution in {configuration} first.");
        }
    }
}
