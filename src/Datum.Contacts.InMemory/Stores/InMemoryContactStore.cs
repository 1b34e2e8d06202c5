using System.Collections.Concurrent;

namespace Datum.Contacts.InMemory;

/// <summary>The in-memory store: one partition per tenant, each guarded by its own lock.</summary>
internal sealed class InMemoryContactStore : IContactManagementStore
{
    private readonly ConcurrentDictionary<TenantId, TenantPartition> _tenants = new();

    public ValueTask<IUnitOfWork> BeginAsync(TenantId tenant, CancellationToken cancellationToken)
    {
        if (tenant == default)
        {
            throw new ArgumentException("The tenant id is the default value; create one with TenantId.Parse.", nameof(tenant));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var partition = _tenants.GetOrAdd(tenant, static t => new TenantPartition(t));
        return ValueTask.FromResult<IUnitOfWork>(new InMemoryUnitOfWork(partition));
    }
}

/// <summary>One tenant's committed data. Every access holds <see cref="Gate"/>.</summary>
internal sealed class TenantPartition(TenantId tenant)
{
    private static readonly IComparer<ContactPosition> Ascending = Comparer<ContactPosition>.Create((a, b) => ContactOrder.Compare(a, b, SortDirection.Ascending));

    public TenantId Tenant { get; } = tenant;

    public Lock Gate { get; } = new();

    public Dictionary<ContactId, Contact> Contacts { get; } = [];

    private Contact[]? _scan;

    /// <summary>The committed contacts as one array, for scans that compile their test into the loop; rebuilt after a commit changed contacts.</summary>
    public Contact[] ScanArray => _scan ??= [.. Contacts.Values];

    /// <summary>Drops <see cref="ScanArray"/> after contacts changed.</summary>
    public void ContactsChanged() => _scan = null;

    /// <summary>Normalized email → the contact holding it.</summary>
    public Dictionary<string, ContactId> ContactsByEmail { get; } = new(StringComparer.Ordinal);

    /// <summary>Every contact's position in each listing order, ascending, so a page costs O(log n + page size).</summary>
    public Dictionary<ContactSortField, SortedSet<ContactPosition>> Orders { get; } = Enum.GetValues<ContactSortField>()
        .ToDictionary(f => f, _ => new SortedSet<ContactPosition>(Ascending));

    /// <summary>Declared custom fields by name, case-insensitively.</summary>
    public Dictionary<string, CustomFieldDefinition> CustomFields { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every audit entry, in commit order.</summary>
    public List<AuditEntry> Audit { get; } = [];

    /// <summary>Adds a committed contact to the listing orders.</summary>
    public void Index(Contact contact)
    {
        foreach (var (field, order) in Orders)
        {
            order.Add(new ContactPosition(ContactOrder.KeyOf(contact, field), contact.Id));
        }
    }

    /// <summary>Removes a committed contact from the listing orders.</summary>
    public void Unindex(Contact contact)
    {
        foreach (var (field, order) in Orders)
        {
            order.Remove(new ContactPosition(ContactOrder.KeyOf(contact, field), contact.Id));
        }
    }

    /// <summary>Audit entries by (entity type, entity id), in commit order.</summary>
    public Dictionary<(string Type, string Id), List<AuditEntry>> AuditByEntity { get; } = [];
}
