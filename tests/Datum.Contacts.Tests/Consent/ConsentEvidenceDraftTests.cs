namespace Datum.Contacts.Tests.ConsentManagement;

public sealed class ConsentEvidenceDraftTests
{
    private static readonly ConsentEvidenceDraft Form = new() { Source = ConsentSource.Form };

    private static IReadOnlyList<FieldError> ErrorsOf(ConsentEvidenceDraft draft) => TestData.ErrorsOf(() => draft.Validate());

    [Fact]
    public void Full_evidence_is_cleaned_and_kept()
    {
        var evidence = (Form with
        {
            PolicyVersion = "  privacy-2026-11 ",
            LawfulBasis = LawfulBasis.LegitimateInterests,
            IpAddress = " 203.0.113.7 ",
            UserAgent = " Mozilla/5.0 (X11; Linux x86_64) ",
        }).Validate();

        Assert.Equal(new ValidatedEvidence(ConsentSource.Form, "privacy-2026-11", LawfulBasis.LegitimateInterests, "203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64)"), evidence);
    }

    [Fact]
    public void Evidence_with_only_a_source_defaults_to_consent_as_the_lawful_basis()
    {
        var evidence = Form.Validate();

        Assert.Equal(new ValidatedEvidence(ConsentSource.Form, null, LawfulBasis.Consent, null, null), evidence);
    }

    [Fact]
    public void The_api_evidence_is_valid()
    {
        Assert.Equal(ConsentSource.Api, ConsentEvidenceDraft.Api.Validate().Source);
    }

    [Theory]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("255.255.255.255", "255.255.255.255")]
    [InlineData("2001:DB8:0:0:0:0:0:1", "2001:db8::1")]
    [InlineData("2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329")]
    [InlineData("::1", "::1")]
    [InlineData("::FFFF:192.0.2.1", "::ffff:192.0.2.1")]
    [InlineData("  fe80::1  ", "fe80::1")]
    public void An_ip_address_is_normalized(string text, string expected)
    {
        Assert.Equal(expected, (Form with { IpAddress = text }).Validate().IpAddress);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_blank_ip_address_counts_as_none(string text)
    {
        Assert.Null((Form with { IpAddress = text }).Validate().IpAddress);
    }

    [Theory]
    [InlineData("not an ip")]
    [InlineData("256.1.1.1")]
    [InlineData("192.0.2.1:8080")]
    [InlineData("2001:db8::g")]
    [InlineData("2001:db8:::1")]
    [InlineData("192.0.2.1, 198.51.100.2")]
    [InlineData("1")]
    [InlineData("3221225985")]
    [InlineData("192.0.2")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("010.0.0.1")]
    public void A_value_that_is_not_an_ip_address_in_standard_notation_is_refused(string text)
    {
        var error = Assert.Single(ErrorsOf(Form with { IpAddress = text }));

        Assert.Equal(("evidence.ipAddress", "invalid_ip_address"), (error.Field, error.Code));
    }

    [Fact]
    public void An_undefined_source_or_lawful_basis_is_refused()
    {
        var errors = ErrorsOf(new ConsentEvidenceDraft { LawfulBasis = (LawfulBasis)42 });

        Assert.Equal([("evidence.source", "invalid_source"), ("evidence.lawfulBasis", "invalid_lawful_basis")], errors.Select(e => (e.Field, e.Code)));
    }

    [Fact]
    public void Policy_version_and_user_agent_may_be_exactly_their_maximum_length_but_not_longer()
    {
        var atLimit = Form with { PolicyVersion = new string('p', ConsentEvidenceDraft.MaxPolicyVersionLength), UserAgent = new string('u', ConsentEvidenceDraft.MaxUserAgentLength) };
        var tooLong = Form with { PolicyVersion = new string('p', ConsentEvidenceDraft.MaxPolicyVersionLength + 1), UserAgent = new string('u', ConsentEvidenceDraft.MaxUserAgentLength + 1) };

        var valid = atLimit.Validate();
        var errors = ErrorsOf(tooLong);

        Assert.Equal((100, 512), (valid.PolicyVersion!.Length, valid.UserAgent!.Length));
        Assert.Equal([("evidence.policyVersion", "too_long"), ("evidence.userAgent", "too_long")], errors.Select(e => (e.Field, e.Code)));
        Assert.Contains("at most 100 characters", errors[0].Message, StringComparison.Ordinal);
        Assert.Contains("at most 512 characters", errors[1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v1\nv2")]
    [InlineData("v1\u0007")]
    [InlineData("v\0")]
    [InlineData("v\u202E1")]
    public void Control_characters_in_policy_version_or_user_agent_are_refused(string text)
    {
        var errors = ErrorsOf(Form with { PolicyVersion = text, UserAgent = text });

        Assert.Equal([("evidence.policyVersion", "invalid_characters"), ("evidence.userAgent", "invalid_characters")], errors.Select(e => (e.Field, e.Code)));
        Assert.StartsWith("evidence.policyVersion contains", errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_in_field_order()
    {
        var draft = new ConsentEvidenceDraft
        {
            Source = (ConsentSource)0,
            LawfulBasis = (LawfulBasis)7,
            PolicyVersion = new string('p', 101),
            IpAddress = "999.0.0.1",
            UserAgent = "agent\tname",
        };

        var errors = ErrorsOf(draft);

        Assert.Equal(["evidence.source", "evidence.lawfulBasis", "evidence.policyVersion", "evidence.ipAddress", "evidence.userAgent"], errors.Select(e => e.Field));
    }
}
