using Microsoft.Extensions.Options;

namespace Datum.Contacts;

/// <summary>Declares and lists the custom fields a tenant's contacts may carry.</summary>
public interface ICustomFieldService
{
    /// <summary>Declares a custom field. Declaring the same name (case-insensitively) again is an error.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="definition">The field.</param>
    /// <param name="actor">Who declares it.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ValidationFailedException">The name is taken, or the tenant has reached its limit of fields.</exception>
    Task DefineAsync(TenantId tenant, CustomFieldDefinition definition, Actor actor, CancellationToken cancellationToken = default);

    /// <summary>Lists the tenant's declared fields.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<CustomFieldSchema> GetSchemaAsync(TenantId tenant, CancellationToken cancellationToken = default);
}

internal sealed class CustomFieldService(IContactManagementStore store, IOptions<ContactManagementOptions> options, AuditTrail audit) : ICustomFieldService
{
    public async Task DefineAsync(TenantId tenant, CustomFieldDefinition definition, Actor actor, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(definition);
        Guard.Against.Null(actor);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var schema = await LoadSchemaAsync(uow, cancellationToken).ConfigureAwait(false);
            if (schema.Find(definition.Name) is { } existing)
            {
                throw AlreadyDefined(existing.Name);
            }

            var max = options.Value.MaxCustomFieldsPerTenant;
            if (schema.Definitions.Count >= max)
            {
                throw new ValidationFailedException(new FieldError("name", "too_many", $"name: this tenant already declares {max} custom fields, the configured maximum."));
            }

            uow.CustomFields.Add(definition);
            FieldChange[] changes =
            [
                new("name", null, definition.Name),
                new("type", null, definition.Type.ToString()),
                .. definition.Description is null ? Array.Empty<FieldChange>() : [new FieldChange("description", null, definition.Description)],
            ];
            uow.AuditLog.Append(audit.Entry(tenant, actor, AuditActions.CustomFieldDefined, AuditEntityTypes.CustomField, definition.Name, changes));
            await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<CustomFieldSchema> GetSchemaAsync(TenantId tenant, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            return await LoadSchemaAsync(uow, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The error a store raises too when two definitions of one name race to commit.</summary>
    /// <param name="name">The name already declared.</param>
    public static ValidationFailedException AlreadyDefined(string name)
        => new(new FieldError("name", "already_defined", $"name: the custom field '{name}' is already declared in this tenant (names are case-insensitive)."));

    internal static async Task<CustomFieldSchema> LoadSchemaAsync(IUnitOfWork uow, CancellationToken cancellationToken)
        => new(await uow.CustomFields.ListAsync(cancellationToken).ConfigureAwait(false));
}
