namespace Datum.Contacts.InMemory;

/// <summary>This tenant's custom field definitions; new ones are queued on the unit of work until commit.</summary>
internal sealed class CustomFieldRepository(InMemoryUnitOfWork uow) : ICustomFieldDefinitionRepository
{
    public ValueTask<IReadOnlyList<CustomFieldDefinition>> ListAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (uow.Partition.Gate)
        {
            return ValueTask.FromResult<IReadOnlyList<CustomFieldDefinition>>([.. uow.Partition.CustomFields.Values]);
        }
    }

    public void Add(CustomFieldDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        uow.Guard.ThrowIfUnusable();
        uow.NewCustomFields.Add(definition);
    }
}
