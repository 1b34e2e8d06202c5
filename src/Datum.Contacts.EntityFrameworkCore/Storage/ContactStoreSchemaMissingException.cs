namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>
/// The database lacks a table of the contact management model: the schema was never created, or was created by
/// migrations older than this package. Nothing was read or written. This is a deployment error, not a business
/// failure, so it is not a <see cref="ContactManagementException"/>: a host should not map it to a client error.
/// </summary>
public sealed class ContactStoreSchemaMissingException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="table">The missing table, as the database named it (with its schema when the database gave one).</param>
    /// <param name="innerException">The provider's own exception.</param>
    public ContactStoreSchemaMissingException(string table, Exception? innerException = null)
        : base(
            $"The table '{table}' of the contact management store does not exist in this database. Create the schema: apply the migrations "
            + "that include ApplyContactManagementModel (dotnet ef migrations add, then dotnet ef database update or the script of "
            + "dotnet ef migrations script --idempotent), or call Database.EnsureCreated() for tests.",
            innerException)
    {
        Table = table;
    }

    /// <summary>The missing table, as the database named it.</summary>
    public string Table { get; }
}
