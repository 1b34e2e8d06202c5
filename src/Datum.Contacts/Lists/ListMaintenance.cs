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

    /// <summary>Most history entries handed to the handlers in one call.</summary>
    internal const int PublishPageSize = 1_000;

    /// <summary>
    /// Hands a committed unit of work's changes to the handlers, in order, in calls of at most
    /// <see cref="PublishPageSize"/>; a failing handler is logged, not thrown. Changes a store applied set-based are
    /// read back from the membership history page by page, so no call holds every change of a big list.
    /// </summary>
    public async Task PublishAsync(MembershipWork work, CancellationToken cancellationToken)
    {
        if (!work.HasChanges || _handlers.Length == 0)
        {
            return;
        }

        var page = new List<MembershipHistoryEntry>(PublishPageSize);
        foreach (var chunk in work.Changes.Chunk(PublishPageSize))
        {
            page.AddRange(chunk);
            page = await FlushWhenFullAsync(page, cancellationToken).ConfigureAwait(false);
        }

        // One call may hold the ends of several changes: a small refresh with its cascade is one call.
        foreach (var change in work.SetBasedChanges)
        {
            Guid? after = null;
            while (true)
            {
                var read = await work.SetBased!.ReadChangesAsync(change, after, PublishPageSize - page.Count, cancellationToken).ConfigureAwait(false);
                page.AddRange(read);
                if (page.Count < PublishPageSize)
                {
                    break; // the change has no more entries
                }

                page = await FlushWhenFullAsync(page, cancellationToken).ConfigureAwait(false);
                after = read[^1].Id;
            }
        }

        if (page.Count > 0)
        {
            await HandleAsync(page, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Hands a full page to the handlers and returns a new one; returns the page as it is otherwise.</summary>
    private async Task<List<MembershipHistoryEntry>> FlushWhenFullAsync(List<MembershipHistoryEntry> page, CancellationToken cancellationToken)
    {
        if (page.Count < PublishPageSize)
        {
            return page;
        }

        await HandleAsync(page, cancellationToken).ConfigureAwait(false);
        return new List<MembershipHistoryEntry>(PublishPageSize);
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
