using Microsoft.EntityFrameworkCore;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>
/// The contact side of the unit of work: contacts with their child rows, queued and written in the same transaction
/// as everything else. Each contact to change is claimed at the version the caller read before any row is touched.
/// </summary>
internal sealed partial class EntityFrameworkCoreUnitOfWork
{
    /// <summary>Contacts to add, update or remove at commit, with the version each was read at (null when added here).</summary>
    internal List<(Contact Contact, bool Removed, long? ExpectedVersion)> ContactChanges { get; } = [];

    /// <summary>This tenant's contact rows: the only way the store reaches the contacts table.</summary>
    internal IQueryable<ContactRow> ContactRows => Context.Set<ContactRow>().Where(r => r.TenantId == TenantKey);

    /// <summary>This tenant's contact rows with every child row, untracked: what a contact is rebuilt from.</summary>
    internal IQueryable<ContactRow> WholeContacts => ContactRows.AsNoTracking()
        .Include(r => r.Tags)
        .Include(r => r.SocialProfiles)
        .Include(r => r.Channels)
        .Include(r => r.CustomValues);

    /// <summary>Claims the contacts to change at the versions the caller read, then applies the queued contact changes to the context.</summary>
    private async Task StageContactsAsync(CancellationToken cancellationToken)
    {
        // Claim each contact to change at the version the caller read, before touching any row: the no-op update
        // locks the row until commit (PostgreSQL) and says whether the version still holds. Without it a child row
        // written by a concurrent winner could fail this commit with a key violation instead of a version conflict.
        var claims = ContactChanges
            .Where(c => c.ExpectedVersion is not null)
            .GroupBy(c => c.Contact.Id.Value)
            .Select(g => (Id: g.Key, Expected: g.First().ExpectedVersion!.Value))
            .ToList();
        foreach (var (id, expected) in claims)
        {
            var claimed = await ContactRows
                .Where(r => r.Id == id && r.Version == expected)
                .ExecuteUpdateAsync(set => set.SetProperty(r => r.Version, r => r.Version), cancellationToken)
                .ConfigureAwait(false);
            if (claimed == 0)
            {
                throw await ConflictAsync(id, expected, null).ConfigureAwait(false);
            }
        }

        var existingIds = claims.Select(c => c.Id).ToList();
        var rows = existingIds.Count == 0
            ? []
            : await ContactRows
                .Where(r => EF.Parameter(existingIds).Contains(r.Id))
                .Include(r => r.Tags)
                .Include(r => r.SocialProfiles)
                .Include(r => r.Channels)
                .Include(r => r.CustomValues)
                .AsSplitQuery()
                .ToDictionaryAsync(r => r.Id, cancellationToken)
                .ConfigureAwait(false);
        var written = new HashSet<Guid>();
        foreach (var (contact, removed, expected) in ContactChanges)
        {
            var id = contact.Id.Value;
            rows.TryGetValue(id, out var row);
            if (expected is null)
            {
                if (row is not null)
                {
                    throw new InvalidOperationException($"A contact with id '{contact.Id}' already exists; ids must be new.");
                }

                row = new ContactRow();
                ContactRowMapper.CopyTo(contact, row);
                Context.Add(row);
                rows[id] = row;
                written.Add(id);
                continue;
            }

            if (row is null || (!written.Contains(id) && row.Version != expected))
            {
                throw new ConcurrencyConflictException(AuditEntityTypes.Contact, contact.Id.ToString(), expected.Value, row?.Version);
            }

            written.Add(id);
            if (removed)
            {
                Context.Remove(row);
                rows.Remove(id);
            }
            else
            {
                ContactRowMapper.CopyTo(contact, row);
            }
        }
    }

    /// <summary>The net state per contact id after the queued changes: the contact, or null when removed.</summary>
    private Dictionary<ContactId, Contact?> StagedContacts()
    {
        var staged = new Dictionary<ContactId, Contact?>();
        foreach (var (contact, removed, _) in ContactChanges)
        {
            staged[contact.Id] = removed ? null : contact;
        }

        return staged;
    }

    private async Task CheckEmailsAsync(Dictionary<ContactId, Contact?> staged, CancellationToken cancellationToken)
    {
        var claimed = new Dictionary<string, ContactId>(StringComparer.Ordinal);
        foreach (var (id, after) in staged)
        {
            if (after?.Email is { } email && !claimed.TryAdd(email.Normalized, id))
            {
                throw new DuplicateEmailException(claimed[email.Normalized]);
            }
        }

        if (claimed.Count == 0)
        {
            return;
        }

        var emails = claimed.Keys.ToList();
        var holders = await ContactRows.AsNoTracking()
            .Where(r => r.EmailNormalized != null && emails.Contains(r.EmailNormalized))
            .Select(r => new { r.Id, r.EmailNormalized })
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        foreach (var holder in holders)
        {
            var holderId = new ContactId(holder.Id);
            if (holderId == claimed[holder.EmailNormalized!])
            {
                continue;
            }

            // The holder keeps the address unless this unit of work deletes it or moves it off the address.
            if (!staged.TryGetValue(holderId, out var holderAfter) || holderAfter?.Email?.Normalized == holder.EmailNormalized)
            {
                throw new DuplicateEmailException(holderId);
            }
        }
    }

    private async Task<ConcurrencyConflictException> ConflictAsync(Guid id, long expected, Exception? inner)
    {
        var actual = await ContactRows.AsNoTracking().Where(r => r.Id == id).Select(r => (long?)r.Version).FirstOrDefaultAsync().ConfigureAwait(false);
        return new ConcurrencyConflictException(AuditEntityTypes.Contact, new ContactId(id).ToString(), expected, actual, inner);
    }

    /// <summary>After a failed save: a concurrency error when a contact to change no longer has the version the caller read.</summary>
    private async Task CheckVersionsAsync()
    {
        foreach (var (contact, _, expected) in ContactChanges.Where(c => c.ExpectedVersion is not null))
        {
            var id = contact.Id.Value;
            var actual = await ContactRows.AsNoTracking().Where(r => r.Id == id).Select(r => (long?)r.Version).FirstOrDefaultAsync().ConfigureAwait(false);
            if (actual != expected)
            {
                throw new ConcurrencyConflictException(AuditEntityTypes.Contact, contact.Id.ToString(), expected!.Value, actual);
            }
        }
    }

    internal Contact Load(ContactRow row)
    {
        var contact = ContactRowMapper.ToContact(row);
        Guard.Loaded(contact);
        return contact;
    }

    /// <summary>The contacts of these ids with their child rows, untracked, by id (in chunks).</summary>
    internal async Task<Dictionary<Guid, ContactRow>> LoadContactRowsAsync(IEnumerable<Guid> ids, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<Guid, ContactRow>();
        foreach (var chunk in ids.Distinct().Chunk(ChunkSize))
        {
            var keys = chunk.ToList();
            // One array parameter (json_each on SQLite, = ANY on PostgreSQL), not EF Core 10's default of one parameter
            // per id: with the split queries of the child rows, that default cost SQLite about 370 MB per 500 ids.
            var page = await WholeContacts.Where(r => EF.Parameter(keys).Contains(r.Id)).AsSplitQuery().ToListAsync(cancellationToken).ConfigureAwait(false);
            foreach (var row in page)
            {
                rows[row.Id] = row;
            }
        }

        return rows;
    }
}
