using Microsoft.Extensions.DependencyInjection;
namespace AdIntel.Web.Tests.Security;

[Collection(LocalAppCollection.Name)]
public sealed class DumpRoutesTmp(LocalAppFixture fixture, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Dump()
    {
        var app = await fixture.HostAsync(AppFixture.Sqlite);
        foreach (var e in app.App.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints.OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>().Where(e => e.RoutePattern.RawText!.Contains("path") || e.RoutePattern.RawText!.Contains("LICENSE") || e.RoutePattern.RawText!.Contains("site")))
        {
            output.WriteLine($"EP {e.RoutePattern.RawText} {e.DisplayName} :: {string.Join(",", e.Metadata.Select(m => m.GetType().Name))}");
        }
        foreach (var r in await EndpointCatalog.ListAsync(app.App.Services))
        {
            output.WriteLine($"{r} anon={r.AllowsAnonymous} policy={r.Policy} inputs={string.Join(",", r.Inputs.Select(i => i.Name + ":" + i.Type.Name + ":" + i.Source))}");
        }
    }
}
