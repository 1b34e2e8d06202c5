using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;

namespace Datum.Contacts.Specification.Tests;

/// <summary>Records the batches it receives and whether each change was visible (committed) when it arrived.</summary>
public sealed class MembershipChangeRecorder : IMembershipChangeHandler
{
    /// <summary>The batches received, in order.</summary>
    public ConcurrentQueue<IReadOnlyList<MembershipHistoryEntry>> Batches { get; } = new();

    /// <summary>For each change received, whether a fresh read already saw the membership as the change left it.</summary>
    public ConcurrentQueue<bool> CommittedWhenRaised { get; } = new();

    /// <summary>The services to read with; null to skip the check.</summary>
    public IServiceProvider? Services { get; set; }

    /// <inheritdoc />
    public async ValueTask HandleAsync(IReadOnlyList<MembershipHistoryEntry> changes, CancellationToken cancellationToken)
    {
        Batches.Enqueue([.. changes]);
        if (Services is null)
        {
            return;
        }

        using var scope = Services.CreateScope();
        var lists = scope.ServiceProvider.GetRequiredService<IListService>();
        foreach (var change in changes)
        {
            var membership = await lists.FindMembershipAsync(change.Tenant, change.List, change.Contact, cancellationToken);
            CommittedWhenRaised.Enqueue(membership?.Status == change.To);
        }
    }
}
