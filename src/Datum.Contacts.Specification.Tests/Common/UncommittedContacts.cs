using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.Specification.Tests;

/// <summary>
/// Contacts as <see cref="IContactService"/> makes or changes them (the only public way: the aggregates' factories and
/// mutators are internal), caught on their way into the store and never committed, for the specifications of the
/// store port that put aggregates into units of work of their own.
/// </summary>
internal sealed class UncommittedContacts : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly CatchingStore _store;

    /// <summary>Services over <paramref name="store"/> whose units of work hand the contact they are given to the caller instead of staging it.</summary>
    /// <param name="store">The store under test, read as usual (custom fields, duplicate checks).</param>
    /// <param name="clock">The clock.</param>
    public UncommittedContacts(IContactManagementStore store, TimeProvider clock)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        _store = new CatchingStore(store);
        services.AddSingleton(_store);
        services.AddContactManagement().UseStore<CatchingStore>("uncommitted", ServiceLifetime.Singleton);
        _services = services.BuildServiceProvider();
    }

    private IContactService Contacts => _services.GetRequiredService<IContactService>();

    /// <summary>A new contact made from <paramref name="draft"/> by <see cref="IContactService.CreateAsync"/>, not stored.</summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="draft">The contact's details.</param>
    public async Task<Contact> NewAsync(TenantId tenant, ContactDraft draft)
    {
        // One unit of work, kept open, serves every new contact: thousands are made quickly.
        _store.Share = true;
        try
        {
            await Contacts.CreateAsync(tenant, draft, Actor.System);
        }
        catch (CaughtException caught)
        {
            return caught.Contact;
        }
        finally
        {
            _store.Share = false;
        }

        throw new InvalidOperationException("The service staged no contact.");
    }

    /// <summary>
    /// The contact <paramref name="id"/> changed by <see cref="IContactService.PatchAsync"/>, not stored, with the still
    /// open unit of work that loaded it: the caller stages the change (<c>Uow.Contacts.Update(Contact)</c>) and disposes it.
    /// </summary>
    /// <param name="tenant">The tenant.</param>
    /// <param name="id">The stored contact.</param>
    /// <param name="patch">The change.</param>
    public async Task<(IUnitOfWork Uow, Contact Contact)> ChangedAsync(TenantId tenant, ContactId id, ContactPatch patch)
    {
        try
        {
            await Contacts.PatchAsync(tenant, id, patch, null, Actor.System);
        }
        catch (CaughtException caught)
        {
            return (caught.Uow, caught.Contact);
        }

        throw new InvalidOperationException("The service staged no contact.");
    }

    public async ValueTask DisposeAsync()
    {
        await _store.DisposeSharedAsync();
        await _services.DisposeAsync();
    }

    private sealed class CaughtException(IUnitOfWork uow, Contact contact) : Exception("A contact caught on its way into the store.")
    {
        public IUnitOfWork Uow { get; } = uow;

        public Contact Contact { get; } = contact;
    }

    /// <summary>Units of work whose contact repository throws the contact it is given to add or update, and that stay open for the catcher.</summary>
    private sealed class CatchingStore(IContactManagementStore store) : IContactManagementStore
    {
        private IUnitOfWork? _shared;

        /// <summary>Whether <see cref="BeginAsync"/> hands out the one shared unit of work (never disposed by the service) rather than a new one.</summary>
        public bool Share { get; set; }

        public async ValueTask<IUnitOfWork> BeginAsync(TenantId tenant, CancellationToken cancellationToken)
        {
            if (!Share)
            {
                return Catching(await store.BeginAsync(tenant, cancellationToken), keepOpen: false);
            }

            if (_shared is null || _shared.Tenant != tenant)
            {
                await DisposeSharedAsync();
                _shared = await store.BeginAsync(tenant, cancellationToken);
            }

            return Catching(_shared, keepOpen: true);
        }

        public async ValueTask DisposeSharedAsync()
        {
            if (_shared is not null)
            {
                await _shared.DisposeAsync();
                _shared = null;
            }
        }

        private static IUnitOfWork Catching(IUnitOfWork uow, bool keepOpen)
        {
            var caught = false;
            var contacts = Forwarding<IContactRepository>.Wrap(uow.Contacts, (method, arguments, proceed) =>
            {
                if (method.Name is nameof(IContactRepository.Add) or nameof(IContactRepository.Update) && arguments is [Contact contact])
                {
                    caught = true;
                    throw new CaughtException(uow, contact);
                }

                // New contacts are made for units of work of the caller's, which the store checks at commit (duplicates
                // included, on purpose in some specifications): no lookup per contact.
                return keepOpen && method.Name == nameof(IContactRepository.FindByEmailAsync) ? new ValueTask<Contact?>(default(Contact)) : proceed();
            });
            IReadOnlyList<CustomFieldDefinition>? schema = null;
            var customFields = Forwarding<ICustomFieldDefinitionRepository>.Wrap(uow.CustomFields, (method, _, proceed) =>
            {
                if (!keepOpen || method.Name != nameof(ICustomFieldDefinitionRepository.ListAsync))
                {
                    return proceed();
                }

                // The shared unit of work reads the tenant's custom fields once, not once per new contact.
                schema ??= ((ValueTask<IReadOnlyList<CustomFieldDefinition>>)proceed()!).AsTask().GetAwaiter().GetResult();
                return new ValueTask<IReadOnlyList<CustomFieldDefinition>>(schema);
            });
            return Forwarding<IUnitOfWork>.Wrap(uow, (method, _, proceed) => method.Name switch
            {
                "get_Contacts" => contacts,
                "get_CustomFields" => customFields,
                nameof(IAsyncDisposable.DisposeAsync) when caught || keepOpen => ValueTask.CompletedTask,
                _ => proceed(),
            });
        }
    }

    /// <summary>An interface proxy that hands every call to an interceptor, which may forward it (<c>proceed</c>).</summary>
    /// <typeparam name="T">The interface.</typeparam>
#pragma warning disable CA1852 // DispatchProxy derives from it.
    public class Forwarding<T> : DispatchProxy
#pragma warning restore CA1852
        where T : class
    {
        private T _target = null!;
        private Func<MethodInfo, object?[]?, Func<object?>, object?> _intercept = null!;

        public static T Wrap(T target, Func<MethodInfo, object?[]?, Func<object?>, object?> intercept)
        {
            var proxy = Create<T, Forwarding<T>>();
            var forwarding = (Forwarding<T>)(object)proxy;
            forwarding._target = target;
            forwarding._intercept = intercept;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            return _intercept(targetMethod, args, () =>
            {
                try
                {
                    return targetMethod.Invoke(_target, args);
                }
                catch (TargetInvocationException ex) when (ex.InnerException is not null)
                {
                    ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
                    throw;
                }
            });
        }
    }
}
