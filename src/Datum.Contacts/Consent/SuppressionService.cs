using Microsoft.Extensions.Options;

namespace Datum.Contacts;

/// <summary>The suppression list application service.</summary>
internal sealed class SuppressionService(
    IContactManagementStore store,
    IOptions<ContactManagementOptions> options,
    AuditTrail audit,
    TimeProvider time) : ISuppressionService
{
    private const string CursorScope = "suppressions";
    private readonly ContactManagementOptions _options = options.Value;

    public async Task<SuppressionEntry> AddAsync(TenantId tenant, SuppressionDraft draft, Actor actor, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(draft);
        Guard.Against.Null(actor);
        var errors = new List<FieldError>();
        string? value = null;
        try
        {
            value = SuppressionEntry.Normalize(draft.Kind, draft.Value);
        }
        catch (ValidationFailedException ex)
        {
            errors.AddRange(ex.Errors);
        }

        if (!Enum.IsDefined(draft.Reason))
        {
            errors.Add(new FieldError("reason", "invalid_reason", "reason must be Blocklist, HardBounce, Complaint or DoNotContact."));
        }

        var note = Text.CleanMultiline(draft.Note, "note", SuppressionEntry.MaxNoteLength, errors);
        if (errors.Count > 0)
        {
            throw new ValidationFailedException(errors);
        }

        var entry = new SuppressionEntry(tenant, draft.Kind, value!, draft.Reason, note, time.GetUtcNow(), actor);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var existing = await uow.Suppressions.FindAsync(entry.Kind, entry.Value, cancellationToken).ConfigureAwait(false);
            uow.Suppressions.Add(entry);
            uow.AuditLog.Append(audit.Entry(tenant, actor, AuditActions.SuppressionAdded, AuditEntityTypes.Suppression, IdOf(entry.Kind, entry.Value), [
                new FieldChange("reason", existing?.Reason.ToString(), entry.Reason.ToString()),
                new FieldChange("note", existing?.Note, entry.Note),
            ]));
            await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
            return entry;
        }
    }

    public async Task<bool> RemoveAsync(TenantId tenant, SuppressionKind kind, string value, Actor actor, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(value);
        Guard.Against.Null(actor);
        var normalized = SuppressionEntry.Normalize(kind, value);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var existing = await uow.Suppressions.FindAsync(kind, normalized, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                return false;
            }

            uow.Suppressions.Remove(kind, normalized);
            uow.AuditLog.Append(audit.Entry(tenant, actor, AuditActions.SuppressionRemoved, AuditEntityTypes.Suppression, IdOf(kind, normalized), [
                new FieldChange("reason", existing.Reason.ToString(), null),
                new FieldChange("note", existing.Note, null),
            ]));
            await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
    }

    public async Task<SuppressionEntry?> FindAsync(TenantId tenant, SuppressionKind kind, string value, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(value);
        var normalized = SuppressionEntry.Normalize(kind, value);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            return await uow.Suppressions.FindAsync(kind, normalized, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<IReadOnlyList<SuppressionEntry>> MatchAsync(TenantId tenant, ContactId contact, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var loaded = await ContactService.LoadAsync(uow, contact, null, cancellationToken).ConfigureAwait(false);
            var keys = SuppressionEntry.KeysOf(loaded);
            return keys.Count == 0 ? [] : await uow.Suppressions.MatchAsync(keys, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<Page<SuppressionEntry>> PageAsync(TenantId tenant, PageRequest page, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(page);
        var size = PageCursor.ResolveSize(page.Size, _options);
        (SuppressionKind, string)? after = null;
        if (page.Cursor is not null)
        {
            var (key, value) = PageCursor.Decode(page.Cursor, CursorScope);
            after = Enum.TryParse<SuppressionKind>(key, out var kind) && Enum.IsDefined(kind) ? (kind, value) : throw PageCursor.Damaged();
        }

        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var entries = await uow.Suppressions.ListAsync(after, size + 1, cancellationToken).ConfigureAwait(false);
            return PageCursor.ToPage(entries, size, CursorScope, e => (e.Kind.ToString(), e.Value));
        }
    }

    private static string IdOf(SuppressionKind kind, string value) => $"{kind}:{value}";
}
