namespace AdIntel.Web.Pages.Imports;

/// <summary>The imports screen and <c>/api/import/…</c>; the importers themselves are the Imports engine's.</summary>
public static class ImportsPagesFeature
{
    public static void MapImportsPages(this RouteGroupBuilder api) => api.MapImportsApi();
}
