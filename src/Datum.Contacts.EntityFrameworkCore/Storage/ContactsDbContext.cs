using Microsoft.EntityFrameworkCore;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>
/// A ready context holding only the contact management model, for hosts that keep nothing else in EF Core.
/// Derive from it to change the schema or table prefix (override <see cref="ConfigureModel"/>).
/// </summary>
public class ContactsDbContext : DbContext
{
    /// <summary>Creates the context (the constructor dependency injection uses).</summary>
    /// <param name="options">The context options (provider, connection).</param>
    public ContactsDbContext(DbContextOptions<ContactsDbContext> options)
        : base(options)
    {
    }

    /// <summary>Creates a derived context.</summary>
    /// <param name="options">The derived context's options.</param>
    protected ContactsDbContext(DbContextOptions options)
        : base(options)
    {
    }

    /// <summary>Chooses the schema, table prefix and provider settings; the defaults otherwise.</summary>
    /// <param name="options">The options to set.</param>
    protected virtual void ConfigureModel(ContactModelOptions options)
    {
    }

    /// <inheritdoc />
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyContactManagementModel(ConfigureModel);
    }
}
