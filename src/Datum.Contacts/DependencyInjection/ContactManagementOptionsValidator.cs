using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Datum.Contacts;

/// <summary>Checks every option and the store choice, reporting every problem at once.</summary>
internal sealed class ContactManagementOptionsValidator(IEnumerable<StoreRegistration> stores) : IValidateOptions<ContactManagementOptions>
{
    public ValidateOptionsResult Validate(string? name, ContactManagementOptions options)
    {
        var failures = new List<string>();
        var chosen = stores.Distinct().ToList();
        if (chosen.Count == 0)
        {
            failures.Add(ContactManagementServiceCollectionExtensions.NoStoreMessage);
        }
        else if (chosen.Count > 1)
        {
            failures.Add($"Datum.Contacts has {chosen.Count} stores ({string.Join(", ", chosen.Select(s => s.Name))}); choose exactly one.");
        }

        Range(failures, nameof(options.MaxNameLength), options.MaxNameLength, 1, 4_000);
        Range(failures, nameof(options.MaxTagsPerContact), options.MaxTagsPerContact, 1, 10_000);
        Range(failures, nameof(options.MaxTagLength), options.MaxTagLength, 1, 1_000);
        Range(failures, nameof(options.MaxSocialProfiles), options.MaxSocialProfiles, 1, 1_000);
        Range(failures, nameof(options.MaxSocialProfileLength), options.MaxSocialProfileLength, 1, 4_000);
        Range(failures, nameof(options.MaxCustomFieldTextLength), options.MaxCustomFieldTextLength, 1, 1_000_000);
        Range(failures, nameof(options.MaxCustomFieldsPerTenant), options.MaxCustomFieldsPerTenant, 1, 10_000);
        Range(failures, nameof(options.MaxPageSize), options.MaxPageSize, 1, 10_000);
        Range(failures, nameof(options.DefaultPageSize), options.DefaultPageSize, 1, Math.Max(1, options.MaxPageSize));
        Range(failures, nameof(options.MaxContactsPerListCall), options.MaxContactsPerListCall, 1, 100_000);
        Range(failures, nameof(options.MaxCachedCriteria), options.MaxCachedCriteria, 0, 100_000);
        Range(failures, nameof(options.AudienceBatchSize), options.AudienceBatchSize, 10, 10_000);
        if (options.Tokens is null)
        {
            failures.Add("ContactManagementOptions.Tokens must not be null.");
        }
        else
        {
            failures.AddRange(options.Tokens.Validate("ContactManagementOptions.Tokens"));
        }
        if (options.Criteria is null)
        {
            failures.Add("ContactManagementOptions.Criteria must not be null.");
        }
        else
        {
            failures.AddRange(options.Criteria.Validate("ContactManagementOptions.Criteria"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range(List<string> failures, string option, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            failures.Add($"ContactManagementOptions.{option} is {value}; it must be between {min} and {max}.");
        }
    }
}
