using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdIntel.Web.Creatives.Compliance;

namespace AdIntel.Web.Tests.Creatives;

/// <summary>
/// The copy checker against a table of ad texts: every violating text is caught under the policy it breaks (with the
/// offending words quoted), and no clean text is flagged — including ordinary retail copy that shares words with the
/// cues ("free shipping", "before you go", "only 3 ingredients", five stars, an e-mail address).
/// </summary>
public sealed class ComplianceTableTests
{
    public static TheoryData<string, string, string> Violations => new()
    {
        // Personal attributes
        { "Are you diabetic? These socks are for you.", "personal_attributes", "Are you diabetic" },
        { "Just turned 60? Treat yourself.", "personal_attributes", "Just turned 60" },
        { "Drowning in debt? You deserve this.", "personal_attributes", "debt" },
        { "Are you a Christian looking for gifts?", "personal_attributes", "Christian" },
        { "Manage your anxiety with our weighted blanket.", "personal_attributes", "your anxiety" },
        { "Improve your credit score in weeks.", "personal_attributes", "your credit score" },
        { "Made for people like you.", "personal_attributes", "people like you" },
        { "Are you over 50? Discover our comfort range.", "personal_attributes", "Are you over 50" },
        // Health and appearance
        { "Hate your muffin top? Drop 10 kg in 14 days.", "personal_health_and_appearance", "muffin top" },
        { "Before vs after: flabby to flawless.", "personal_health_and_appearance", "Before vs after" },
        { "Lose 5 lbs in 7 days with our tea.", "personal_health_and_appearance", "Lose 5 lbs in 7 days" },
        { "Get your bikini body by summer.", "personal_health_and_appearance", "bikini body" },
        { "Fat-burner pills melt 5 kg.", "personal_health_and_appearance", "melt 5 kg" },
        // Unrealistic outcomes
        { "Make $5,000 a week from your phone.", "unrealistic_outcomes", "Make $5,000 a week" },
        { "This store runs itself — quit your 9–5.", "unrealistic_outcomes", "runs itself" },
        { "Reverses arthritis in 7 days.", "unrealistic_outcomes", "Reverses arthritis" },
        { "Start earning passive income today.", "unrealistic_outcomes", "passive income" },
        { "The miracle cream for every skin.", "unrealistic_outcomes", "miracle cream" },
        // Unacceptable business practices
        { "As seen with your favourite celebrity — free iPhone!", "unacceptable_business_practices", "free iPhone" },
        { "Official government rebate: claim $500.", "unacceptable_business_practices", "Official government rebate" },
        { "100% guaranteed to work or your money back.", "unacceptable_business_practices", "100% guaranteed" },
        { "Celebrities swear by this serum.", "unacceptable_business_practices", "Celebrities swear by" },
        // Prohibited products
        { "Disposable vapes, 20 flavours.", "prohibited_products", "vapes" },
        { "Pepper spray, 3 for 2.", "prohibited_products", "Pepper spray" },
        { "Legal steroids for fast gains.", "prohibited_products", "steroids" },
        { "Premium hookah tobacco, shipped fast.", "prohibited_products", "hookah" },
        // Adult content
        { "Lonely tonight? Hot singles near you.", "adult_content", "Hot singles" },
        { "Lingerie for a wild night.", "adult_content", "wild night" },
        // Alcohol
        { "Get wasted for $20.", "alcohol", "Get wasted" },
        // Discriminatory practices
        { "Hiring: young women only.", "discriminatory_practices", "young women only" },
        { "Rooms to let — no immigrants.", "discriminatory_practices", "no immigrants" },
        // Sensational content
        { "WARNING: what lives in your mattress 🤮", "sensational_content", "WARNING" },
        { "Graphic: this rash spread overnight.", "sensational_content", "Graphic:" },
        { "The shocking truth about your pillow.", "sensational_content", "shocking" },
        // Profanity and unreadable copy
        { "Best f*%#ing hoodies.", "profanity", "f*%#ing" },
        { "B U Y  N O W !!!!", "profanity", "!!!!" },
        { "Ch3ap W@tches ♛♛♛", "profanity", "Ch3ap" },
        { "THE BIGGEST SALE OF THE YEAR STARTS NOW", "profanity", "THE BIGGEST SALE OF THE YEAR STARTS NOW" },
        { "This shit is comfy.", "profanity", "shit" },
        // Low quality or disruptive
        { "Tap ▶ to watch", "low_quality_or_disruptive", "▶" },
        { "You won't believe #4!", "low_quality_or_disruptive", "You won't believe" },
        { "Only 2 left! Ends 00:59", "low_quality_or_disruptive", "Only 2 left" },
        { "Like and share to win a mug.", "low_quality_or_disruptive", "Like and share" },
        // Financial
        { "Turn $100 into $10,000 with our AI bot.", "financial_products", "Turn $100 into $1" },
        { "Instant payday loan, no credit check.", "financial_products", "payday loan" },
        { "Guaranteed returns on every bitcoin trade.", "financial_products", "Guaranteed returns" },
    };

    public static TheoryData<string> Clean => new()
    {
        "Seamless socks for all-day comfort.",
        "Plant protein for your training.",
        "Learn to run an online store in 6 weeks.",
        "Free shipping over $50; 30-day returns.",
        "Everyday lingerie, XS–4XL.",
        "Small-batch gin. Enjoy responsibly.",
        "Hiring associates — all welcome.",
        "Washable, hypoallergenic mattress protector.",
        "Heavyweight hoodies, 20% off.",
        "Spring sale ends Sunday 12 May.",
        "A budgeting app that sorts your spending.",
        "Before you go, take 10% off your first order.",
        "Only 3 ingredients, all organic.",
        "⭐⭐⭐⭐⭐ Rated by 12,000 customers.",
        "Questions? Write to hello@brand.com any time.",
        "Just $9 a month for fresh coffee beans at your door.",
        "Try it risk-free for 30 days.",
        "Graphic tees, 2 for $30.",
        "Chef's knives forged from one piece of steel.",
        "Black leather boots that last a decade.",
        "Choose your favourite from over 50 colours.",
        "New: the Trail Runner 2, now in wide fits.",
        "Our cured salami is aged for 60 days.",
        "Gift cards from $25, delivered by e-mail.",
        "Summer dresses in linen and cotton.",
        "Sleep better on a mattress made for back sleepers.",
        "Wine glasses that survive the dishwasher.",
        "Built for runners who log 50 km a week.",
        "Save 20% when you bundle any three candles.",
        "Your dog will love these chew toys.",
        "Meet the team behind our small-batch hot sauce.",
        "Back in stock: the linen shirt you asked for.",
        "Share the warmth: blankets for the whole family.",
        "AirDrop-ready photos from our instant camera.",
        "Limited edition prints, signed and numbered.",
        "Refillable deodorant in three fresh scents.",
        "Swap your plastic wrap for beeswax wraps.",
        "See the new collection — in stores Friday.",
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public void Every_violation_is_caught_under_its_policy_with_the_span_quoted(string text, string policy, string quoted)
    {
        var findings = AdCopyCompliance.Check("primaryText", text);

        var finding = Assert.Single(findings, f => f.PolicyKey == policy && f.Quote.Contains(quoted, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(finding.Quote, text.Substring(finding.Start, finding.Length).Trim());
        Assert.StartsWith("https://transparency.meta.com/policies/ad-standards/", finding.PolicyUrl, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(finding.Explanation));
        Assert.Contains('"', finding.Suggestion);
    }

    [Theory]
    [MemberData(nameof(Clean))]
    public void Clean_copy_is_not_flagged(string text)
    {
        var findings = AdCopyCompliance.Check("primaryText", text);

        Assert.True(findings.Count == 0, $"\"{text}\" was flagged: " + string.Join("; ", findings.Select(f => $"{f.Policy}: \"{f.Quote}\"")));
    }

    [Fact]
    public void The_table_covers_every_policy_with_at_least_sixty_texts()
    {
        var violations = Violations.Cast<object[]>().ToList();
        var policies = violations.Select(row => (string)row[1]).Distinct().ToList();
        Assert.Equal(12, policies.Count);
        Assert.True(violations.Count + Clean.Cast<object[]>().Count() >= 60);
    }
}

/// <summary><c>POST /api/creatives/compliance-check</c> in the contract's envelope.</summary>
[Collection(AppCollection.Name)]
public sealed class ComplianceApiTests(AppFixture fixture)
{
    [Fact]
    public async Task Checks_each_field_and_answers_bad_bodies_with_a_clear_error()
    {
        var client = fixture.SqliteApp.CreateClient();

        using var response = await client.PostAsJsonAsync("/api/creatives/compliance-check", new
        {
            primaryText = "Are you diabetic? These socks are for you.",
            headline = "Seamless socks",
            description = "Only 2 left!!!",
        });
        var data = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("data");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(data.GetProperty("compliant").GetBoolean());
        Assert.Equal(["primaryText", "headline", "description"], data.GetProperty("checkedFields").EnumerateArray().Select(f => f.GetString()));
        var findings = data.GetProperty("findings").EnumerateArray().ToList();
        Assert.Contains(findings, f => f.GetProperty("field").GetString() == "primaryText" && f.GetProperty("policyKey").GetString() == "personal_attributes");
        Assert.Contains(findings, f => f.GetProperty("field").GetString() == "description" && f.GetProperty("policyKey").GetString() == "low_quality_or_disruptive");
        Assert.DoesNotContain(findings, f => f.GetProperty("field").GetString() == "headline");

        using var clean = await client.PostAsJsonAsync("/api/creatives/compliance-check", new { text = "Heavyweight hoodies, 20% off." });
        Assert.True(JsonDocument.Parse(await clean.Content.ReadAsStringAsync()).RootElement.GetProperty("data").GetProperty("compliant").GetBoolean());

        using var empty = await client.PostAsJsonAsync("/api/creatives/compliance-check", new { headline = " " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("bad_request", JsonDocument.Parse(await empty.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
        using var tooLong = await client.PostAsJsonAsync("/api/creatives/compliance-check", new { text = new string('a', 5001) });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooLong.StatusCode);
        using var notJson = await client.PostAsync("/api/creatives/compliance-check", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
    }
}
