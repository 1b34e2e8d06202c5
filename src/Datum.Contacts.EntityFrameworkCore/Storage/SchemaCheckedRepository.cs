using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>
/// Puts a repository behind <see cref="StoreSchema"/>: whatever the repository's method, a command on a table the
/// database lacks fails with <see cref="ContactStoreSchemaMissingException"/> instead of the provider's exception.
/// One wrapper for every repository, present and future, so that no read path can forget it. Everything else
/// passes through untouched, exceptions included.
/// </summary>
internal class SchemaCheckedRepository : DispatchProxy
{
    private static readonly MethodInfo ValueTaskOfT = typeof(SchemaCheckedRepository).GetMethods(BindingFlags.NonPublic | BindingFlags.Static).Single(m => m.Name == nameof(CheckValueTask) && m.IsGenericMethodDefinition);
    private static readonly ConcurrentDictionary<Type, Func<object, object>?> Checks = new();

    private object _target = null!;

    /// <summary>The repository behind the check.</summary>
    public static TRepository Wrap<TRepository>(TRepository repository)
        where TRepository : class
    {
        var proxy = Create<TRepository, SchemaCheckedRepository>();
        ((SchemaCheckedRepository)(object)proxy)._target = repository;
        return proxy;
    }

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        object? result;
        try
        {
            result = targetMethod.Invoke(_target, args);
        }
        catch (TargetInvocationException exception) when (exception.InnerException is { } inner)
        {
            ExceptionDispatchInfo.Throw(StoreSchema.MissingTable(inner) ?? inner);
            throw;
        }

        return result is not null && CheckFor(targetMethod.ReturnType) is { } check ? check(result) : result;
    }

    private static Func<object, object>? CheckFor(Type returnType) => Checks.GetOrAdd(returnType, static type =>
        type == typeof(ValueTask) ? CheckValueTask
        : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueTask<>)
            ? ValueTaskOfT.MakeGenericMethod(type.GetGenericArguments()[0]).CreateDelegate<Func<object, object>>()
        : null);

    // The proxy hands the caller the repository's task boxed, as it must: the caller still consumes it once.
    [SuppressMessage("Reliability", "CA2012:Use ValueTasks correctly", Justification = "Returned to the caller, boxed by the proxy.")]
    [SuppressMessage("Performance", "CA1859:Use concrete types when possible", Justification = "The proxy's delegates return object.")]
    private static object CheckValueTask(object task) => CheckAsync((ValueTask)task);

    [SuppressMessage("Reliability", "CA2012:Use ValueTasks correctly", Justification = "Returned to the caller, boxed by the proxy.")]
    [SuppressMessage("Performance", "CA1859:Use concrete types when possible", Justification = "The proxy's delegates return object.")]
    private static object CheckValueTask<T>(object task) => CheckAsync((ValueTask<T>)task);

    private static async ValueTask<T> CheckAsync<T>(ValueTask<T> task)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSchema.MissingTable(exception) is { } missing && missing != exception)
        {
            throw missing;
        }
    }

    private static async ValueTask CheckAsync(ValueTask task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception exception) when (StoreSchema.MissingTable(exception) is { } missing && missing != exception)
        {
            throw missing;
        }
    }
}
