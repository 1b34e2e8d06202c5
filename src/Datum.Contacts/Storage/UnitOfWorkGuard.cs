namespace Datum.Contacts;

/// <summary>
/// The bookkeeping our store adapters' units of work share: the tenant they are bound to, the version each contact
/// had when it was loaded (what an update or delete is checked against at commit), and whether the unit of work
/// can still take changes.
/// </summary>
/// <param name="tenant">The unit of work's tenant.</param>
/// <param name="owner">The unit of work, named when it is used after disposal.</param>
internal sealed class UnitOfWorkGuard(TenantId tenant, object owner)
{
    private readonly Dictionary<ContactId, long> _loadedVersions = [];
    private readonly Dictionary<ListId, long> _loadedLists = [];
    private readonly Dictionary<(ListId, ContactId), long> _loadedMemberships = [];
    private bool _committed;
    private bool _disposed;

    /// <summary>The tenant the unit of work is bound to.</summary>
    public TenantId Tenant { get; } = tenant;

    /// <summary>Records the version of a contact handed out by the unit of work.</summary>
    public void Loaded(Contact contact) => _loadedVersions[contact.Id] = contact.Version;

    /// <summary>The version an update or delete of <paramref name="contact"/> must still find at commit.</summary>
    /// <exception cref="InvalidOperationException">The contact was not loaded by this unit of work.</exception>
    public long ExpectedVersion(Contact contact)
    {
        ThrowIfUnusable();
        CheckTenant(contact.Tenant, "contact");
        return _loadedVersions.TryGetValue(contact.Id, out var version)
            ? version
            : throw new InvalidOperationException("Only a contact loaded by this unit of work can be updated or removed through it.");
    }

    /// <summary>Records the version of a list handed out by the unit of work.</summary>
    public void Loaded(ContactList list) => _loadedLists[list.Id] = list.Version;

    /// <summary>The version a list had when this unit of work read it; null when it did not.</summary>
    public long? LoadedVersion(ListId list) => _loadedLists.TryGetValue(list, out var version) ? version : null;

    /// <summary>Records the version of a membership handed out by the unit of work.</summary>
    public void Loaded(ListMembership membership) => _loadedMemberships[(membership.ListId, membership.ContactId)] = membership.Version;

    /// <summary>The version an update or delete of <paramref name="list"/> must still find at commit.</summary>
    /// <exception cref="InvalidOperationException">The list was not loaded by this unit of work.</exception>
    public long ExpectedVersion(ContactList list)
    {
        ThrowIfUnusable();
        CheckTenant(list.Tenant, "list");
        return _loadedLists.TryGetValue(list.Id, out var version)
            ? version
            : throw new InvalidOperationException("Only a list loaded by this unit of work can be updated or removed through it.");
    }

    /// <summary>
    /// The version an update or delete of <paramref name="membership"/> must still find at commit; null when the
    /// membership was added by this unit of work (it must not exist yet).
    /// </summary>
    /// <exception cref="InvalidOperationException">The membership was neither loaded nor added by this unit of work.</exception>
    public long? ExpectedVersion(ListMembership membership, bool addedHere)
    {
        ThrowIfUnusable();
        CheckTenant(membership.Tenant, "membership");
        if (_loadedMemberships.TryGetValue((membership.ListId, membership.ContactId), out var version))
        {
            return version;
        }

        return addedHere
            ? null
            : throw new InvalidOperationException("Only a membership loaded or added by this unit of work can be updated or removed through it.");
    }

    /// <summary>Refuses use after disposal or a successful commit.</summary>
    public void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, owner);
        if (_committed)
        {
            throw new InvalidOperationException("This unit of work has already been committed; begin a new one.");
        }
    }

    /// <summary>Refuses something of another tenant.</summary>
    /// <param name="other">Its tenant.</param>
    /// <param name="what">What it is, for the message.</param>
    public void CheckTenant(TenantId other, string what)
    {
        if (other != Tenant)
        {
            throw new ArgumentException($"The {what} belongs to another tenant than this unit of work's.");
        }
    }

    /// <summary>Marks a successful commit.</summary>
    public void Committed() => _committed = true;

    /// <summary>Marks disposal; false when it was disposed already.</summary>
    public bool Dispose()
    {
        if (_disposed)
        {
            return false;
        }

        _disposed = true;
        return true;
    }
}
