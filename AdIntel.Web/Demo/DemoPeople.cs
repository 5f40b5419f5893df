namespace AdIntel.Web.Demo;

/// <summary>A demo customer's shipping address; the tax rate is the combined sales tax charged there.</summary>
public sealed record DemoAddress(string Street, string City, string ProvinceCode, string ProvinceName, string Zip, decimal TaxRate)
{
    public const string CountryCode = "US";
}

/// <summary>What the export needs about a customer that the domain model does not keep.</summary>
public sealed record DemoCustomerProfile(DemoAddress Address, bool AcceptsMarketing, string? Phone);

/// <summary>Names, e-mail habits and ship-to cities of the demo customers (US, weighted toward outdoor towns).</summary>
internal static class DemoPeople
{
    private static readonly string[] FirstNames =
    [
        "Emma", "Liam", "Olivia", "Noah", "Ava", "Ethan", "Sophia", "Mason", "Isabella", "Logan", "Mia", "Lucas", "Amelia", "Jackson",
        "Harper", "Aiden", "Evelyn", "Caleb", "Abigail", "Owen", "Emily", "Wyatt", "Ella", "Henry", "Madison", "Levi", "Scarlett",
        "Jack", "Grace", "Carter", "Chloe", "Luke", "Riley", "Dylan", "Zoey", "Gabriel", "Nora", "Isaac", "Lily", "Hunter", "Hannah",
        "Eli", "Aria", "Nathan", "Layla", "Sam", "Maya", "Connor", "Willow", "Ben", "Hazel", "Jordan", "Aurora", "Tyler", "Quinn",
        "Sarah", "Daniel", "Rachel", "Matt", "Priya", "Diego", "Mei", "Andre", "Fatima", "Kenji", "Sofia", "Marcus", "Leah",
    ];

    private static readonly string[] LastNames =
    [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez",
        "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris", "Clark", "Lewis",
        "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green", "Adams", "Baker", "Nelson", "Carter",
        "Mitchell", "Roberts", "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris", "Nguyen",
        "Murphy", "Rivera", "Cook", "Rogers", "Morgan", "Peterson", "Cooper", "Reed", "Bailey", "Bell", "Kim", "Patel", "Chen", "Shah",
        "Olsen", "Larsen", "Brooks", "Hayes", "Fischer", "Sullivan",
    ];

    private static readonly (string Domain, double Weight)[] EmailDomains =
    [
        ("gmail.com", 0.55), ("icloud.com", 0.12), ("yahoo.com", 0.1), ("outlook.com", 0.08), ("hotmail.com", 0.06), ("aol.com", 0.03),
        ("proton.me", 0.03), ("me.com", 0.03),
    ];

    private static readonly (DemoAddress Address, double Weight)[] Cities =
    [
        (new("", "New York", "NY", "New York", "10001", 0.08875m), 7), (new("", "Brooklyn", "NY", "New York", "11201", 0.08875m), 4),
        (new("", "Los Angeles", "CA", "California", "90012", 0.095m), 6), (new("", "San Francisco", "CA", "California", "94103", 0.08625m), 3),
        (new("", "San Diego", "CA", "California", "92101", 0.0775m), 3), (new("", "Seattle", "WA", "Washington", "98101", 0.1025m), 3),
        (new("", "Portland", "OR", "Oregon", "97201", 0m), 4), (new("", "Denver", "CO", "Colorado", "80202", 0.0881m), 5),
        (new("", "Boulder", "CO", "Colorado", "80302", 0.08845m), 3), (new("", "Salt Lake City", "UT", "Utah", "84101", 0.0775m), 3),
        (new("", "Austin", "TX", "Texas", "78701", 0.0825m), 4), (new("", "Chicago", "IL", "Illinois", "60601", 0.1025m), 4),
        (new("", "Boston", "MA", "Massachusetts", "02108", 0.0625m), 4), (new("", "Minneapolis", "MN", "Minnesota", "55401", 0.08025m), 3),
        (new("", "Bozeman", "MT", "Montana", "59715", 0m), 2), (new("", "Asheville", "NC", "North Carolina", "28801", 0.07m), 2),
        (new("", "Atlanta", "GA", "Georgia", "30303", 0.089m), 3), (new("", "Philadelphia", "PA", "Pennsylvania", "19103", 0.08m), 3),
        (new("", "Burlington", "VT", "Vermont", "05401", 0.07m), 2), (new("", "Phoenix", "AZ", "Arizona", "85004", 0.086m), 3),
        (new("", "Nashville", "TN", "Tennessee", "37203", 0.0925m), 2), (new("", "Anchorage", "AK", "Alaska", "99501", 0m), 1),
        (new("", "Wilmington", "DE", "Delaware", "19801", 0m), 1), (new("", "Portland", "ME", "Maine", "04101", 0.055m), 2),
        (new("", "Madison", "WI", "Wisconsin", "53703", 0.055m), 2), (new("", "Columbus", "OH", "Ohio", "43215", 0.075m), 2),
        (new("", "Boise", "ID", "Idaho", "83702", 0.06m), 2), (new("", "Jackson", "WY", "Wyoming", "83001", 0.06m), 1),
        (new("", "Miami", "FL", "Florida", "33130", 0.07m), 3), (new("", "Richmond", "VA", "Virginia", "23219", 0.06m), 2),
    ];

    private static readonly string[] Streets =
    [
        "Main St", "Oak Ave", "Pine St", "Maple Ave", "Cedar Ln", "Elm St", "Park Ave", "Lake Dr", "Hillcrest Rd", "Ridge Rd", "River Rd",
        "Summit Ave", "Forest Dr", "Willow Way", "Aspen Ct", "Canyon Rd", "Meadow Ln", "Highland Ave", "Spruce St", "Juniper Dr",
    ];

    private static readonly double[] DomainCumulative = DemoRandom.Cumulative(EmailDomains.Select(d => d.Weight));
    private static readonly double[] CityCumulative = DemoRandom.Cumulative(Cities.Select(c => c.Weight));

    /// <summary>The pop-up shop in Brooklyn where point-of-sale orders are rung up.</summary>
    public static DemoAddress PopUpShop { get; } = new("68 Jay St", "Brooklyn", "NY", "New York", "11201", 0.08875m);

    public static (string First, string Last) Name(Random random) => (random.Pick(FirstNames), random.Pick(LastNames));

    public static DemoAddress Address(Random random)
    {
        var city = Cities[random.PickCumulative(CityCumulative)].Address;
        // Vary the last two zip digits so addresses are not all identical.
        return city with
        {
            Street = $"{random.Next(1, 9800)} {random.Pick(Streets)}",
            Zip = city.Zip[..3] + random.Next(0, 100).ToString("00", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>An e-mail address in one of the shapes people really use; unique within <paramref name="taken"/>.</summary>
    public static string Email(Random random, string first, string last, HashSet<string> taken)
    {
        var domain = EmailDomains[random.PickCumulative(DomainCumulative)].Domain;
        var f = first.ToLowerInvariant();
        var l = last.ToLowerInvariant();
        var local = random.Next(5) switch
        {
            0 => $"{f}.{l}",
            1 => $"{f}{l}{random.Next(1, 99)}",
            2 => $"{f[0]}{l}",
            3 => $"{f}_{l}{random.Next(70, 100)}",
            _ => $"{f}.{l}{random.Next(1, 999)}",
        };
        var email = $"{local}@{domain}";
        for (var n = 2; !taken.Add(email); n++)
        {
            email = $"{local}{n}@{domain}";
        }
        return email;
    }

    public static string Phone(Random random) =>
        $"+1{random.Next(201, 990)}{random.Next(200, 999)}{random.Next(0, 10000):0000}";
}
