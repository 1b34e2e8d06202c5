namespace Datum.Contacts;

/// <summary>
/// Store port for contacts of the unit of work's tenant. Reads return committed state; <see cref="Add"/>,
/// <see cref="Update"/> and <see cref="Remove"/> queue changes that the unit of work's commit applies together.
/// </summary>
/// <remarks>
/// A store must guarantee at commit: one contact per normalized email within a tenant
/// (<see cref="DuplicateEmailException"/>), and that an updated or removed contact still has the version it was
/// loaded with (<see cref="ConcurrencyConflictException"/>). On either failure nothing of the unit of work is written.
/// </remarks>
public interface IContactRepository
{
    /// <summary>Finds a contact by id.</summary>
    /// <param name="id">The contact id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<Contact?> FindAsync(ContactId id, CancellationToken cancellationToken);

    /// <summary>Finds several contacts by id; those that do not exist are left out.</summary>
    /// <param name="ids">The contact ids.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<Contact>> FindManyAsync(IReadOnlyCollection<ContactId> ids, CancellationToken cancellationToken);

    /// <summary>Which of several contact ids exist (cheaper than loading the contacts).</summary>
    /// <param name="ids">The contact ids.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlySet<ContactId>> ExistingAsync(IReadOnlyCollection<ContactId> ids, CancellationToken cancellationToken);

    /// <summary>Finds the contact holding an email address (by its normalized form).</summary>
    /// <param name="email">The address.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<Contact?> FindByEmailAsync(EmailAddress email, CancellationToken cancellationToken);

    /// <summary>Reads one page of contacts in the query's order, after its position, matching its filter if it has one.</summary>
    /// <param name="query">Order, position, size and filter.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<Contact>> ListAsync(ContactPageQuery query, CancellationToken cancellationToken);

    /// <summary>Counts the contacts matching a criteria, or all of them.</summary>
    /// <param name="filter">The criteria; null to count every contact of the tenant.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<long> CountAsync(CompiledCriteria? filter, CancellationToken cancellationToken);

    /// <summary>Queues a new contact.</summary>
    /// <param name="contact">The contact; its tenant must be the unit of work's.</param>
    void Add(Contact contact);

    /// <summary>Queues a change to a contact loaded by this unit of work.</summary>
    /// <param name="contact">The changed contact.</param>
    void Update(Contact contact);

    /// <summary>Queues the deletion of a contact loaded by this unit of work.</summary>
    /// <param name="contact">The contact to delete.</param>
    void Remove(Contact contact);
}
