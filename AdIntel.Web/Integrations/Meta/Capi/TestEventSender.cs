using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Integrations.Meta.Capi;

/// <summary>The customer a test Purchase is sent for; Meta's example customer unless given.</summary>
public sealed record TestCustomer(string? Email = "joe@eg.com", string? Phone = "+1 (650) 555-1212", string? FirstName = "Joe",
    string? LastName = "Smith", string? City = "Menlo Park", string? State = "CA", string? Zip = "94025", string? Country = "US",
    string? ExternalId = null);

/// <summary>How a test event went: refused here (<see cref="Problem"/>), or sent with what Meta answered.</summary>
public sealed record TestEventResult(string? Problem, string? ProblemCode, string? DatasetId, string? TestEventCode, string? EventId,
    JsonObject? UserData, MetaCapiAnswer? Answer);

/// <summary>
/// Sends one test Purchase through the Conversions API to the store's dataset with a <c>test_event_code</c> (it shows
/// in Events Manager → Test events and is not counted): user data normalised and hashed by <see cref="CapiUserData"/>,
/// a fresh event_id, and the store's currency. The code given is kept for the next test.
/// </summary>
public sealed partial class TestEventSender(AdIntelDbContext db, MetaConnections connections, MetaGraphClient client, TimeProvider time)
{
    public async Task<TestEventResult> SendAsync(string? testEventCode, TestCustomer customer, CancellationToken cancellationToken)
    {
        if (testEventCode is not null && !CodeShape().IsMatch(testEventCode))
        {
            return Refused("invalid_test_event_code", "The test event code is the letters and digits Events Manager shows under Test events (at most 64).");
        }
        if (await connections.CredentialsAsync(cancellationToken) is not { } credentials)
        {
            return Refused("meta_not_connected", "Connect Meta (Settings → Integrations) and choose the ad account first.");
        }
        var dataset = await db.TrackingDatasets.SingleOrDefaultAsync(cancellationToken);
        if (dataset is null)
        {
            return Refused("no_dataset", "No Meta pixel is known for this store yet: sync Meta (Settings → Integrations) or create a pixel in Events Manager.");
        }
        var code = testEventCode ?? dataset.TestEventCode;
        if (code is null)
        {
            return Refused("test_event_code_required", "Give the test event code from Events Manager → Test events, so the test is not counted as a real purchase.");
        }
        var userData = CapiUserData.Build(new Dictionary<string, string?>
        {
            ["em"] = customer.Email, ["ph"] = customer.Phone, ["fn"] = customer.FirstName, ["ln"] = customer.LastName,
            ["ct"] = customer.City, ["st"] = customer.State, ["zp"] = customer.Zip, ["country"] = customer.Country, ["external_id"] = customer.ExternalId,
        }, out var rejected);
        if (rejected.Count > 0)
        {
            return Refused("invalid_customer", "These customer details cannot be normalised as Meta requires: " + string.Join(", ", rejected) + ".");
        }
        var store = await db.Stores.AsNoTracking().Where(s => s.Id == dataset.StoreId).Select(s => new { s.ShopDomain, s.Currency }).SingleAsync(cancellationToken);
        userData["client_user_agent"] = "AdIntel test event";
        var eventId = "adintel-test-" + Guid.NewGuid().ToString("N")[..16];
        var purchase = new JsonObject
        {
            ["event_name"] = MetaGraphClient.PurchaseEvent,
            ["event_time"] = time.GetUtcNow().ToUnixTimeSeconds(),
            ["event_id"] = eventId,
            ["action_source"] = "website",
            ["event_source_url"] = $"https://{store.ShopDomain}/checkouts/thank_you",
            ["user_data"] = userData,
            ["custom_data"] = new JsonObject
            {
                ["currency"] = store.Currency,
                ["value"] = 1.00m,
                ["order_id"] = eventId,
                ["content_type"] = "product",
            },
        };
        var answer = await client.SendEventsAsync(credentials.AccessToken, dataset.DatasetId, new JsonArray(purchase).ToJsonString(), code, cancellationToken);
        if (testEventCode is not null && dataset.TestEventCode != testEventCode)
        {
            dataset.TestEventCode = testEventCode;
            await db.SaveChangesAsync(cancellationToken);
        }
        return new TestEventResult(null, null, dataset.DatasetId, code, eventId, userData, answer);
    }

    private static TestEventResult Refused(string code, string problem) => new(problem, code, null, null, null, null, null);

    [GeneratedRegex("^[A-Za-z0-9]{1,64}$")]
    private static partial Regex CodeShape();
}
