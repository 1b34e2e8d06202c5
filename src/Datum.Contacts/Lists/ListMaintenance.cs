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

    /// <summary>Hands a committed unit of work's changes to the handlers; a failing handler is logged, not thrown.</summary>
    public async Task PublishAsync(MembershipWork work, CancellationToken cancellationToken)
    {
        if (work.Changes.Count == 0)
        {
            return;
        }

        foreach (var handler in _handlers)
        {
            try
            {
                await handler.HandleAsync(work.Changes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogHandlerFailed(_logger, ex, handler.GetType().Name, work.Changes.Count);
            }
        }
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Error, Message = "Membership change handler {Handler} failed on {Count} committed changes")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string handler, int count);
}
