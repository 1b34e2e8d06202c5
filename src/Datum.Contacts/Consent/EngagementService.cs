using System.Globalization;
using Microsoft.Extensions.Options;

namespace Datum.Contacts;

/// <summary>The engagement application service: sends and interactions, last-engagement times, audit, dynamic lists.</summary>
internal sealed class EngagementService(
    IContactManagementStore store,
    IOptions<ContactManagementOptions> options,
    AuditTrail audit,
    ListMaintenance lists,
    TimeProvider time) : IEngagementService
{
    private static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);
    private readonly ContactManagementOptions _options = options.Value;

    public async Task<EngagementEvent> RecordAsync(TenantId tenant, EngagementDraft engagement, Actor actor, CancellationToken cancellationToken = default)
    {
        Guard.Against.Null(engagement);
        var recorded = await RecordManyAsync(tenant, [engagement], actor, cancellationToken).ConfigureAwait(false);
        return recorded[0];
    }

    public async Task<IReadOnlyList<EngagementEvent>> RecordManyAsync(TenantId tenant, IReadOnlyList<EngagementDraft> engagements, Actor actor, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        Guard.Against.Null(engagements);
        Guard.Against.Null(actor);
        if (engagements.Count == 0)
        {
            return [];
        }

        if (engagements.Count > _options.MaxContactsPerListCall)
        {
            throw new ValidationFailedException(new FieldError("engagements", "too_many", $"engagements holds {engagements.Count} events; at most {_options.MaxContactsPerListCall} may be recorded in one call."));
        }

        var now = time.GetUtcNow();
        var errors = new List<FieldError>();
        for (var i = 0; i < engagements.Count; i++)
        {
            var e = engagements[i];
            var at = Position(i);
            if (e is null)
            {
                errors.Add(new FieldError(at, "required", $"{at} is null."));
                continue;
            }

            if (e.Channel.Value is null)
            {
                errors.Add(new FieldError($"{at}.channel", "required", $"{at}.channel is required."));
            }

            if (!Enum.IsDefined(e.Kind))
            {
                errors.Add(new FieldError($"{at}.kind", "invalid_kind", $"{at}.kind must be Sent, Opened, Clicked or Replied."));
            }

            if (e.OccurredAt is { } occurred && occurred > now + FutureTolerance)
            {
                errors.Add(new FieldError($"{at}.occurredAt", "in_future", $"{at}.occurredAt is in the future."));
            }
        }

        // Every problem at once: the field errors above, and below the contacts and lists that do not exist.
        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            var existing = await uow.Contacts.ExistingAsync([.. engagements.Where(e => e is not null).Select(e => e.Contact).Distinct()], cancellationToken).ConfigureAwait(false);
            var knownLists = new Dictionary<ListId, bool>();
            for (var i = 0; i < engagements.Count; i++)
            {
                var e = engagements[i];
                if (e is null)
                {
                    continue;
                }

                if (!existing.Contains(e.Contact))
                {
                    errors.Add(new FieldError($"{Position(i)}.contact", "not_found", $"{Position(i)}.contact: no contact with id '{e.Contact}' exists in this tenant."));
                }

                if (e.List is { } list)
                {
                    if (!knownLists.TryGetValue(list, out var known))
                    {
                        knownLists[list] = known = await uow.Lists.FindAsync(list, cancellationToken).ConfigureAwait(false) is not null;
                    }

                    if (!known)
                    {
                        errors.Add(new FieldError($"{Position(i)}.list", "not_found", $"{Position(i)}.list: no list with id '{list}' exists in this tenant."));
                    }
                }
            }

            if (errors.Count > 0)
            {
                throw new ValidationFailedException(errors);
            }

            var work = lists.Begin(uow, actor);
            var recorded = new List<EngagementEvent>(engagements.Count);
            var interactions = new Dictionary<ContactId, DateTimeOffset>();
            var throughLists = new Dictionary<(ListId, ContactId), DateTimeOffset>();
            foreach (var e in engagements)
            {
                var occurred = e.OccurredAt ?? now;
                var entry = new EngagementEvent(TimeOrderedGuid.Next(occurred), tenant, e.Contact, e.Channel, e.List, e.Kind, occurred);
                uow.Engagements.Append(entry);
                recorded.Add(entry);
                if (e.Kind == EngagementKind.Sent)
                {
                    continue;
                }

                interactions[e.Contact] = interactions.TryGetValue(e.Contact, out var last) && last >= occurred ? last : occurred;
                if (e.List is { } list)
                {
                    var key = (list, e.Contact);
                    throughLists[key] = throughLists.TryGetValue(key, out var lastThrough) && lastThrough >= occurred ? lastThrough : occurred;
                }
            }

            foreach (var ((list, contactId), at) in throughLists)
            {
                if (await uow.Memberships.FindAsync(list, contactId, cancellationToken).ConfigureAwait(false) is { } membership
                    && membership.RecordEngagement(at, now).Count > 0)
                {
                    uow.Memberships.Update(membership);
                }
            }

            foreach (var chunk in interactions.Keys.Chunk(1_000))
            {
                foreach (var contact in await uow.Contacts.FindManyAsync(chunk, cancellationToken).ConfigureAwait(false))
                {
                    var changes = contact.RecordEngagement(interactions[contact.Id], now);
                    if (changes.Count == 0)
                    {
                        continue;
                    }

                    uow.Contacts.Update(contact);
                    uow.AuditLog.Append(audit.Entry(tenant, actor, AuditActions.ContactEngaged, AuditEntityTypes.Contact, contact.Id.ToString(), changes));
                    await work.ContactChangedAsync(contact, cancellationToken).ConfigureAwait(false);
                }
            }

            await uow.CommitAsync(cancellationToken).ConfigureAwait(false);
            await lists.PublishAsync(work, cancellationToken).ConfigureAwait(false);
            return recorded;
        }
    }

    public async Task<IReadOnlyList<EngagementEvent>> GetAsync(TenantId tenant, ContactId contact, int limit = 50, CancellationToken cancellationToken = default)
    {
        Guard.Against.DefaultTenant(tenant);
        if (limit < 1 || limit > _options.MaxPageSize)
        {
            throw new ValidationFailedException(new FieldError("limit", "out_of_range", $"limit must be between 1 and {_options.MaxPageSize}."));
        }

        var uow = await store.BeginAsync(tenant, cancellationToken).ConfigureAwait(false);
        await using (uow.ConfigureAwait(false))
        {
            return await uow.Engagements.ReadAsync(contact, limit, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Position(int i) => string.Create(CultureInfo.InvariantCulture, $"engagements[{i}]");
}
