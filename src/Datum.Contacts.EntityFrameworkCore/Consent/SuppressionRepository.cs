using Microsoft.EntityFrameworkCore;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>This tenant's suppression list; an entry replaces one of the same kind and value at commit.</summary>
internal sealed class SuppressionRepository(EntityFrameworkCoreUnitOfWork uow) : ISuppressionRepository
{
    public async ValueTask<SuppressionEntry?> FindAsync(SuppressionKind kind, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!Text.IsStorable(value))
        {
            return null; // no stored value holds such a character, and PostgreSQL could not take it as a parameter
        }

        var row = await uow.SuppressionRows.AsNoTracking()
            .FirstOrDefaultAsync(r => r.Kind == kind && r.Value == value, cancellationToken)
            .ConfigureAwait(false);
        return row is null ? null : ConsentRowMapper.ToEntry(row);
    }

    public async ValueTask<IReadOnlyList<SuppressionEntry>> MatchAsync(IReadOnlyCollection<(SuppressionKind Kind, string Value)> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var wanted = keys.Distinct().Where(k => k.Value is not null && Text.IsStorable(k.Value)).ToList();
        var found = new Dictionary<(SuppressionKind, string), SuppressionEntry>();
        foreach (var group in wanted.GroupBy(k => k.Kind))
        {
            var kind = group.Key;
            foreach (var chunk in group.Select(k => k.Value).Chunk(EntityFrameworkCoreUnitOfWork.ChunkSize))
            {
                var values = chunk.ToList();
                var rows = await uow.SuppressionRows.AsNoTracking()
                    .Where(r => r.Kind == kind && values.Contains(r.Value))
                    .ToListAsync(cancellationToken)
                    .ConfigureAwait(false);
                foreach (var row in rows)
                {
                    found[(row.Kind, row.Value)] = ConsentRowMapper.ToEntry(row);
                }
            }
        }

        // In the order the keys were given.
        return wanted.Where(found.ContainsKey).Select(k => found[k]).ToList();
    }

    public async ValueTask<IReadOnlyList<SuppressionEntry>> ListAsync((SuppressionKind Kind, string Value)? after, int limit, CancellationToken cancellationToken)
    {
        // In (kind, value) order, one read per kind from the cursor's on: each is a range of the (tenant, kind, value)
        // key, so the page starts at the cursor. A single (kind, value) > (k, v) condition would only narrow the kind,
        // and kinds are few: the database would filter every entry of the kind before the cursor.
        var page = new List<SuppressionRow>();
        foreach (var kind in Enum.GetValues<SuppressionKind>().Where(k => after is null || k >= after.Value.Kind))
        {
            var rows = uow.SuppressionRows.AsNoTracking().Where(r => r.Kind == kind);
            if (after is { } position && position.Kind == kind)
            {
                var value = position.Value;
                rows = rows.Where(r => r.Value.CompareTo(value) > 0);
            }

            page.AddRange(await rows.OrderBy(r => r.Value).Take(limit - page.Count).ToListAsync(cancellationToken).ConfigureAwait(false));
            if (page.Count == limit)
            {
                break;
            }
        }

        return page.Select(ConsentRowMapper.ToEntry).ToList();
    }

    public void Add(SuppressionEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        uow.Guard.ThrowIfUnusable();
        uow.Guard.CheckTenant(entry.Tenant, "suppression entry");
        uow.SuppressionChanges.Add(((entry.Kind, entry.Value), entry));
    }

    public void Remove(SuppressionKind kind, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        uow.Guard.ThrowIfUnusable();
        uow.SuppressionChanges.Add(((kind, value), null));
    }
}
