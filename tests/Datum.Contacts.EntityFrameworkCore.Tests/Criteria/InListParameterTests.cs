using System.Globalization;
using Datum.Contacts.Specification.Tests;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Datum.Contacts.EntityFrameworkCore.Tests;

/// <summary>
/// An <c>in</c> or <c>notIn</c> list travels as one array parameter (<c>json_each</c> on SQLite, <c>= ANY</c> on
/// PostgreSQL), not one parameter per value: a list of 1,000 numbers or texts adds one parameter to the count, and the
/// numbers are sent in the column's stored form.
/// </summary>
public abstract class InListParameterTests : ContactManagementSpecification
{
    private readonly SqlRecorder _recorder = new();

    protected abstract TestDatabase Database { get; }

    protected override void UseStore(ContactManagementBuilder builder) => Database.Use(builder, o => o.AddInterceptors(_recorder));

    [Theory]
    [InlineData("customFields.score in")]
    [InlineData("customFields.score notIn")]
    [InlineData("email in")]
    [InlineData("email notIn")]
    public async Task A_list_of_1000_values_is_one_parameter(string condition)
    {
        // Arrange
        var tenant = NewTenant();
        await CustomFields.DefineAsync(tenant, new CustomFieldDefinition("score", CustomFieldType.Number), Admin);
        await Contacts.CreateAsync(tenant, NewDraft() with { Email = "n17@example.com", CustomFields = new Dictionary<string, CustomFieldValue?> { ["score"] = 17.5m } }, Admin);
        var values = condition.StartsWith("email", StringComparison.Ordinal)
            ? Enumerable.Range(0, 1_000).Select(i => $"\"n{i}@example.com\"")
            : Enumerable.Range(0, 1_000).Select(i => (i + 0.5m).ToString(CultureInfo.InvariantCulture));
        var criteria = Criteria.Parse($"{condition} ({string.Join(", ", values)})");

        // Act
        var (count, commands) = await _recorder.CaptureAsync(() => Contacts.CountAsync(tenant, criteria));

        // Assert
        Assert.Equal(condition.EndsWith("notIn", StringComparison.Ordinal) ? 0 : 1, count);
        var counting = Assert.Single(commands, c => c.Text.Contains("COUNT", StringComparison.OrdinalIgnoreCase));
        Assert.True(counting.Parameters.Count < 5, $"expected one parameter for the list, got {counting.Parameters.Count}:{Environment.NewLine}{counting}");
        if (!condition.StartsWith("email", StringComparison.Ordinal))
        {
            var stored = Database.Name == "SQLite" ? SortableDecimal.Encode(17.5m) : "17.5";
            Assert.Contains(counting.ParameterTexts, p => p.Contains(stored, StringComparison.Ordinal));
        }
    }
}

public sealed class SqliteInListParameterTests : InListParameterTests
{
    protected override TestDatabase Database => SqliteTestDatabase.Instance;
}

public sealed class PostgresInListParameterTests : InListParameterTests
{
    protected override TestDatabase Database => PostgresTestDatabase.Instance;
}
