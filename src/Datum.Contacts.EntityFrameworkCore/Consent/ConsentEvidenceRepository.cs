using Microsoft.EntityFrameworkCore;

namespace Datum.Contacts.EntityFrameworkCore;

/// <summary>The append-only consent ledger, read newest first.</summary>
internal sealed class ConsentEvidenceRepository(EntityFrameworkCoreUnitOfWork uow) : IConsentEvidenceRepository
{
    public void Append(ConsentEvidence entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        uow.Guard.ThrowIfUnusable();
        uow.Guard.CheckTenant(entry.Tenant, "consent evidence");
        uow.NewEvidence.Add(entry);
    }

    public async ValueTask<IReadOnlyList<ConsentEvidence>> ReadAsync(ConsentEvidenceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var contactKey = query.Contact.Value;
        var rows = uow.EvidenceRows.AsNoTracking().Where(e => e.ContactId == contactKey);
        if (query.Scope is { } scope)
        {
            var channel = scope.Channel.Value;
            rows = rows.Where(e => e.Channel == channel);
            if (scope.List is { } list)
            {
                var listKey = list.Value;
                rows = rows.Where(e => e.ListId == listKey);
            }
            else
            {
                rows = rows.Where(e => e.ListId == null);
            }
        }

        var page = await NewestFirst.PageAsync(rows, query.AtOrBefore, query.Before, query.Limit, cancellationToken).ConfigureAwait(false);
        return page.Select(ConsentRowMapper.ToEvidence).ToList();
    }
}
