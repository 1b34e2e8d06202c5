using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Datum.Contacts;

/// <summary>
/// Starts the membership side of a unit of work (<see cref="MembershipWork"/>) and, once it is committed, hands its
/// history entries to the registered <see cref="IMembershipChangeHandler"/>s. Used by the contact and list services,
/// so a contact change keeps dynamic lists current inside the same unit of work.
/// </summary>
internal sealed partial class ListMaintenance(
    ICriteriaCompiler compiler,
    TimeProvider time,
    IEnumerable<IMembershipChangeHandler> handlers,
    ILogger<ListMaintenance>? logger = null)
{
    private readonly IMembershipChangeHandler[] _handlers = [.. handlers];
    private readonly ILogger _logger = logger ?? NullLogger<ListMaintenance>.Instance;

    public ICriteriaCompiler Compiler => compiler;

    public MembershipWork Begin(IUnitOfWork uow, Actor actor) => new(uow, compiler, actor, time.GetUtcNow());

    /// <summary>Most history entries handed to the handlers in one call when a set-based change is read back.</summary>
    internal const int PublishPageSize = 1_000;

    /// <summary>
    /// Hands a committed unit of work's changes to the handlers; a failing handler is logged, not thrown. Changes a
    /// store applied set-based are read back from the membership history in pages of <see cref="PublishPageSize"/>,
    /// so a unit of work that moved many memberships reaches the handlers in several calls, in order.
    /// </summary>
    public async Task PublishAsync(MembershipWork work, CancellationToken cancellationToken)
    {
        if (!work.HasChanges || _handlers.Length == 0)
        {
            return;
        }

        if (work.Changes.Count > 0)
        {
            await HandleAsync(work.Changes, cancellationToken).ConfigureAwait(false);
        }

        if (work.SetBased is not { } store)
        {
            return;
        }

        // One page may hold the ends of several changes: a small refresh with its cascade is one call, as before.
        var page = new List<MembershipHistoryEntry>(Math.Min(PublishPageSize, work.SetBasedChanges.Sum(c => c.Ids.Count)));
        foreach (var change in work.SetBasedChanges)
        {
            Guid? after = null;
            while (true)
            {
                var read = await store.ReadChangesAsync(change, after, PublishPageSize - page.Count, cancellationToken).ConfigureAwait(false);
                page.AddRange(read);
                if (page.Count < PublishPageSize)
                {
                    break; // the change has no more entries
                }

                await HandleAsync(page, cancellationToken).ConfigureAwait(false);
                page = new List<MembershipHistoryEntry>(PublishPageSize);
                after = read[^1].Id;
            }
        }

        if (page.Count > 0)
        {
            await HandleAsync(page, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task HandleAsync(List<MembershipHistoryEntry> changes, CancellationToken cancellationToken)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                await handler.HandleAsync(changes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogHandlerFailed(_logger, ex, handler.GetType().Name, changes.Count);
            }
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Membership change handler {Handler} failed on {Count} committed changes")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string handler, int count);
}
