// The README's host example, run against the packages alone: once on the in-memory store, once on EF Core (SQLite).
using Datum.Contacts;
using Datum.Contacts.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

foreach (var store in new[] { "memory", "sqlite" })
{
    var services = new ServiceCollection();
    var builder = services.AddContactManagement(options =>
    {
        options.MaxTagsPerContact = 50;
        options.DefaultPageSize = 25;
    });
    var database = Path.Combine(AppContext.BaseDirectory, "consumer.db");
    if (store == "memory")
    {
        builder.UseInMemoryStore();
    }
    else
    {
        File.Delete(database);
        var connectionString = $"Data Source={database};Pooling=False";
        services.AddDbContextFactory<ContactsDbContext>(o => o.UseSqlite(connectionString));
        builder.UseEntityFrameworkCore<ContactsDbContext>();
    }

    await using var provider = services.BuildServiceProvider();
    provider.GetRequiredService<IStartupValidator>().Validate();
    if (store == "sqlite")
    {
        await using var context = await provider.GetRequiredService<IDbContextFactory<ContactsDbContext>>().CreateDbContextAsync();
        await context.Database.EnsureCreatedAsync();
    }

    await using var scope = provider.CreateAsyncScope();
    var contacts = scope.ServiceProvider.GetRequiredService<IContactService>();
    var compiler = scope.ServiceProvider.GetRequiredService<ICriteriaCompiler>();

    var tenant = TenantId.Parse("acme");
    var ada = await contacts.CreateAsync(tenant,
        new ContactDraft { FirstName = "Ada", Email = "ada@example.com", Tags = ["vip"] },
        Actor.Admin("alice"));
    ada = await contacts.PatchAsync(tenant, ada.Id, new ContactPatch { Title = "Countess" },
        expectedVersion: ada.Version, Actor.Admin("alice"));
    var history = await contacts.GetAuditLogAsync(tenant, ada.Id, PageRequest.First);
    var vips = await contacts.CountAsync(tenant, compiler.Parse("""tags has "VIP" and title = "countess" """));

    Console.WriteLine($"{store}: {ada.FirstName} {ada.Title} v{ada.Version}, {history.Items.Count} audit entries, {vips} vip");
}
