using Microsoft.EntityFrameworkCore;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>This tenant's custom field definitions; new ones are queued on the unit of work until commit.</summary>
internal sealed class CustomFieldRepository(EntityFrameworkCoreUnitOfWork uow) : ICustomFieldDefinitionRepository
{
    public async ValueTask<IReadOnlyList<CustomFieldDefinition>> ListAsync(CancellationToken cancellationToken)
    {
        var tenant = uow.TenantKey;
        var rows = await uow.Context.Set<CustomFieldRow>().AsNoTracking()
            .Where(f => f.TenantId == tenant)
            .OrderBy(f => f.NameKey)
            .ToListAsync(cancellationToken)
            .ConfigureAwait(false);
        return rows.Select(CustomFieldRowMapper.ToDefinition).ToList();
    }

    public void Add(CustomFieldDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        uow.Guard.ThrowIfUnusable();
        uow.NewCustomFields.Add(definition);
    }
}
