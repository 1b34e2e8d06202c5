using Microsoft.EntityFrameworkCore;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>The custom field side of the unit of work: new field definitions, checked for unique names and written at commit.</summary>
internal sealed partial class EntityFrameworkCoreUnitOfWork
{
    /// <summary>Custom field definitions to add at commit.</summary>
    internal List<CustomFieldDefinition> NewCustomFields { get; } = [];

    private async Task CheckCustomFieldsAsync(CancellationToken cancellationToken)
    {
        if (NewCustomFields.Count == 0)
        {
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var definition in NewCustomFields)
        {
            if (!names.Add(definition.Name.ToLowerInvariant()))
            {
                throw CustomFieldService.AlreadyDefined(definition.Name);
            }
        }

        var keys = names.ToList();
        var existing = await Context.Set<CustomFieldRow>().AsNoTracking()
            .Where(f => f.TenantId == TenantKey && keys.Contains(f.NameKey))
            .Select(f => f.Name)
            .FirstOrDefaultAsync(cancellationToken)
            .ConfigureAwait(false);
        if (existing is not null)
        {
            throw CustomFieldService.AlreadyDefined(NewCustomFields.First(d => string.Equals(d.Name, existing, StringComparison.OrdinalIgnoreCase)).Name);
        }
    }
}
