namespace Datum.Contacts;

/// <summary>Store port for the custom fields the unit of work's tenant declared.</summary>
/// <remarks>A store must keep names unique per tenant, case-insensitively, at commit (<see cref="ValidationFailedException"/> on <c>name</c>).</remarks>
public interface ICustomFieldDefinitionRepository
{
    /// <summary>Reads every committed definition of the tenant.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyList<CustomFieldDefinition>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Queues a new definition.</summary>
    /// <param name="definition">The definition.</param>
    void Add(CustomFieldDefinition definition);
}
