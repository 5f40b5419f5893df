namespace AdIntel.Web.Tests.Security;

[Collection(LocalAppCollection.Name)]
public sealed class DumpRoutesTmp(LocalAppFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Dump()
    {
        var app = await fixture.HostAsync(AppFixture.Sqlite);
        foreach (var r in await EndpointCatalog.ListAsync(app.App.Services))
        {
            output.WriteLine($"{r} anon={r.AllowsAnonymous} policy={r.Policy} inputs={string.Join(",", r.Inputs.Select(i => i.Name + ":" + i.Type.Name + ":" + i.Source))}");
        }
    }
}
