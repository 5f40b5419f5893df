using System.Globalization;
using System.Text;
using AdIntel.Web.Domain;
using AdIntel.Web.Infrastructure.Auth;
using AdIntel.Web.Infrastructure.Csv;
using AdIntel.Web.Infrastructure.Data;
using AdIntel.Web.Infrastructure.Htmx;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AdIntel.Web.Pages.Settings;

/// <summary>
/// The audit log: who changed what and when, newest first, filtered by kind of thing, person and dates (UTC), and
/// exported as CSV (RFC 4180; text that a spreadsheet would run as a formula is neutralised, see <see cref="CsvFields"/>).
/// </summary>
[Authorize(Policy = Policies.Owner)]
public sealed class AuditModel(AdIntelDbContext db, TimeProvider time) : PageModel
{
    private const int PageSize = 50;

    [BindProperty(SupportsGet = true)]
    public string? What { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Who { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    /// <summary>Keyset cursor: show entries older than this id.</summary>
    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];
    public IReadOnlyList<string> EntityTypes { get; private set; } = [];
    public long? OlderCursor { get; private set; }

    /// <summary>The current filter as query values, for the export link and the "older" link.</summary>
    public Dictionary<string, string> FilterRoute => new()
    {
        [nameof(What)] = What ?? "",
        [nameof(Who)] = Who ?? "",
        [nameof(From)] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
        [nameof(To)] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
    };

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        EntityTypes = await db.AuditEntries.Select(e => e.EntityType).Distinct().OrderBy(t => t).ToListAsync(cancellationToken);
        var query = Filtered();
        if (Before is { } before)
        {
            query = query.Where(e => e.Id < before);
        }
        var rows = await query.OrderByDescending(e => e.Id).Take(PageSize + 1).AsNoTracking().ToListAsync(cancellationToken);
        Entries = rows.Take(PageSize).ToList();
        OlderCursor = rows.Count > PageSize ? Entries[^1].Id : null;
        return this.PageOrPartial("_AuditEntries", this);
    }

    public async Task<IActionResult> OnGetExportAsync(CancellationToken cancellationToken)
    {
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = $"attachment; filename=\"adintel-audit-{time.GetUtcNow():yyyyMMdd}.csv\"";
        await using var csv = new StreamWriter(Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), leaveOpen: true) { NewLine = "\r\n" };
        await csv.WriteLineAsync("at_utc,actor,action,entity_type,entity_id,summary,before,after".AsMemory(), cancellationToken);
        await foreach (var entry in Filtered().OrderByDescending(e => e.Id).AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            string?[] fields = [entry.Actor, entry.Action, entry.EntityType, entry.EntityId, entry.Summary, entry.BeforeJson, entry.AfterJson];
            await csv.WriteLineAsync((CsvFields.Number(entry.AtUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)) + ","
                + string.Join(',', fields.Select(CsvFields.Text))).AsMemory(), cancellationToken);
        }
        await csv.FlushAsync(cancellationToken);
        // The CSV is the response; there is no page to render after it.
        return new EmptyResult();
    }

    private IQueryable<AuditEntry> Filtered()
    {
        var query = db.AuditEntries.AsQueryable();
        if (!string.IsNullOrWhiteSpace(What))
        {
            query = query.Where(e => e.EntityType == What);
        }
        if (!string.IsNullOrWhiteSpace(Who))
        {
            var who = Who.Trim().ToLowerInvariant();
            query = query.Where(e => e.Actor.ToLower().Contains(who));
        }
        if (From is { } from)
        {
            var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(e => e.AtUtc >= start);
        }
        if (To is { } to)
        {
            var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
            query = query.Where(e => e.AtUtc < end);
        }
        return query;
    }
}
