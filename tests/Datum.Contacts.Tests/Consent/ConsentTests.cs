using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using static Datum.Contacts.Tests.ConsentManagement.ConsentTestData;

namespace Datum.Contacts.Tests.ConsentManagement;

public sealed class ConsentTests
{
    private static readonly DateTimeOffset Later = TestData.Now.AddHours(1);

    private static readonly DateTimeOffset Expires = TestData.Now.AddDays(7);

    [Fact]
    public void A_new_consent_is_none_at_version_0_for_its_scope()
    {
        var list = new ListId(Guid.CreateVersion7());

        var consent = NewConsent(list, Channel.Sms);

        Assert.Equal((ConsentState.None, 0L, false), (consent.State, consent.Version, consent.IsGranted));
        Assert.Equal(new ConsentScope(Channel.Sms, list), consent.Scope);
        Assert.Equal((TestData.Now, TestData.Now), (consent.CreatedAt, consent.UpdatedAt));
        Assert.Null(consent.TokenHash);
        Assert.Null(consent.GrantedAt);
        Assert.Null(consent.WithdrawnAt);
    }

    [Fact]
    public void A_new_consent_needs_a_tenant_and_a_channel()
    {
        var contact = new ContactId(Guid.CreateVersion7());

        Assert.Throws<ArgumentException>(() => Consent.New(default, contact, new ConsentScope(Channel.Email, null), TestData.Now));
        Assert.Throws<ArgumentException>(() => Consent.New(TestData.Tenant, contact, default, TestData.Now));
    }

    [Fact]
    public void A_double_opt_in_goes_from_none_through_pending_to_granted()
    {
        var consent = NewConsent();

        consent.Request("hash-1", Expires, "privacy-2026", TestData.Now);
        var pending = (consent.State, consent.TokenHash, consent.TokenExpiresAt, consent.PolicyVersion, consent.IsGranted);
        consent.Confirm("hash-1", Later);

        Assert.Equal((ConsentState.Pending, "hash-1", Expires, "privacy-2026", false), pending);
        Assert.Equal(ConsentState.Granted, consent.State);
        Assert.True(consent.IsGranted);
        Assert.Equal(Later, consent.GrantedAt);
        Assert.Equal(Later, consent.UpdatedAt);
        Assert.Equal("privacy-2026", consent.PolicyVersion);
        Assert.Equal("hash-1", consent.TokenHash);
    }

    [Fact]
    public void A_new_request_supersedes_the_previous_token()
    {
        var consent = NewConsent();
        consent.Request("hash-1", Expires, null, TestData.Now);
        consent.Request("hash-2", Expires.AddDays(1), "v2", Later);

        var error = Assert.Throws<InvalidTokenException>(() => consent.Confirm("hash-1", Later));
        consent.Confirm("hash-2", Later);

        Assert.Equal(InvalidTokenReason.Superseded, error.Reason);
        Assert.Equal(ConsentState.Granted, consent.State);
    }

    [Fact]
    public void Confirming_with_a_hash_that_was_never_issued_is_superseded_and_changes_nothing()
    {
        var consent = NewConsent();
        consent.Request("hash-1", Expires, null, TestData.Now);

        var error = Assert.Throws<InvalidTokenException>(() => consent.Confirm("hash-x", Later));

        Assert.Equal(InvalidTokenReason.Superseded, error.Reason);
        Assert.Equal((ConsentState.Pending, TestData.Now), (consent.State, consent.UpdatedAt));
    }

    [Fact]
    public void Confirming_a_consent_that_was_never_requested_is_superseded()
    {
        var error = Assert.Throws<InvalidTokenException>(() => NewConsent().Confirm("hash-1", Later));

        Assert.Equal(InvalidTokenReason.Superseded, error.Reason);
    }

    [Fact]
    public void Confirming_again_with_the_same_token_is_already_used()
    {
        var consent = NewConsent();
        consent.Request("hash-1", Expires, null, TestData.Now);
        consent.Confirm("hash-1", Later);

        var error = Assert.Throws<InvalidTokenException>(() => consent.Confirm("hash-1", Later.AddMinutes(1)));

        Assert.Equal(InvalidTokenReason.AlreadyUsed, error.Reason);
        Assert.Equal(Later, consent.GrantedAt);
    }

    [Fact]
    public void Confirming_after_a_withdrawal_is_an_illegal_transition()
    {
        var consent = NewConsent();
        consent.Request("hash-1", Expires, null, TestData.Now);
        consent.Withdraw(Later);

        var error = Assert.Throws<ConsentTransitionException>(() => consent.Confirm("hash-1", Later.AddMinutes(1)));

        Assert.Equal((ConsentState.Withdrawn, ConsentAction.Confirmed, consent.Scope), (error.State, error.Action, error.Scope));
        Assert.Equal("illegal_consent_transition", error.Code);
        Assert.Equal(ConsentState.Withdrawn, consent.State);
    }

    [Fact]
    public void Requesting_a_granted_consent_is_an_illegal_transition()
    {
        var consent = NewConsent();
        consent.Grant("v1", TestData.Now);

        var error = Assert.Throws<ConsentTransitionException>(() => consent.Request("hash-1", Expires, "v2", Later));

        Assert.Equal((ConsentState.Granted, ConsentAction.Requested), (error.State, error.Action));
        Assert.Contains("withdraw it first", error.Message, StringComparison.Ordinal);
        Assert.Equal(("v1", (string?)null), (consent.PolicyVersion, consent.TokenHash));
    }

    [Fact]
    public void Withdrawing_twice_is_an_illegal_transition()
    {
        var consent = NewConsent();
        consent.Grant(null, TestData.Now);
        consent.Withdraw(Later);

        var error = Assert.Throws<ConsentTransitionException>(() => consent.Withdraw(Later.AddMinutes(1)));

        Assert.Equal((ConsentState.Withdrawn, ConsentAction.Withdrawn), (error.State, error.Action));
        Assert.Equal(Later, consent.WithdrawnAt);
    }

    [Fact]
    public void Withdrawing_a_consent_never_recorded_is_an_explicit_refusal()
    {
        var consent = NewConsent();

        consent.Withdraw(Later);

        Assert.Equal((ConsentState.Withdrawn, Later, 1L), (consent.State, consent.WithdrawnAt, consent.Version));
        Assert.Null(consent.GrantedAt);
    }

    [Fact]
    public void Withdrawing_a_pending_consent_is_allowed()
    {
        var consent = NewConsent();
        consent.Request("hash-1", Expires, null, TestData.Now);

        consent.Withdraw(Later);

        Assert.Equal(ConsentState.Withdrawn, consent.State);
    }

    [Fact]
    public void Granting_directly_clears_a_pending_token_so_it_no_longer_confirms()
    {
        var consent = NewConsent();
        consent.Request("hash-1", Expires, "v1", TestData.Now);

        consent.Grant("v2", Later);
        var error = Assert.Throws<InvalidTokenException>(() => consent.Confirm("hash-1", Later));

        Assert.Equal((ConsentState.Granted, "v2", Later), (consent.State, consent.PolicyVersion, consent.GrantedAt));
        Assert.Null(consent.TokenHash);
        Assert.Null(consent.TokenExpiresAt);
        Assert.Equal(InvalidTokenReason.Superseded, error.Reason);
    }

    [Fact]
    public void Granting_again_under_a_new_policy_version_is_allowed_and_a_withdrawn_consent_can_be_granted_again()
    {
        var consent = NewConsent();
        consent.Grant("v1", TestData.Now);
        consent.Grant("v2", Later);
        consent.Withdraw(Later.AddMinutes(1));
        consent.Grant("v3", Later.AddMinutes(2));

        Assert.Equal((ConsentState.Granted, "v3", Later.AddMinutes(2), Later.AddMinutes(1)), (consent.State, consent.PolicyVersion, consent.GrantedAt, consent.WithdrawnAt));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Request_and_confirm_need_a_token_hash(string hash)
    {
        var consent = NewConsent();

        Assert.Throws<ArgumentException>(() => consent.Request(hash, Expires, null, TestData.Now));
        Assert.Throws<ArgumentException>(() => consent.Confirm(hash, TestData.Now));
        Assert.Equal(ConsentState.None, consent.State);
    }

    [Fact]
    public void The_first_unit_of_work_takes_a_new_consent_to_version_1_however_many_transitions_it_makes()
    {
        var consent = NewConsent();

        consent.Request("hash-1", Expires, null, TestData.Now);
        consent.Confirm("hash-1", Later);
        consent.Withdraw(Later.AddMinutes(1));

        Assert.Equal(1, consent.Version);
    }

    [Fact]
    public void Each_later_unit_of_work_moves_the_version_by_one()
    {
        var consent = NewConsent();
        consent.Grant("v1", TestData.Now);

        var loaded = consent.Copy();
        loaded.Withdraw(Later);
        loaded.Grant("v2", Later.AddMinutes(1));
        var reloaded = loaded.Copy();
        var untouched = reloaded.Version;
        reloaded.Withdraw(Later.AddMinutes(2));

        Assert.Equal(1, consent.Version);
        Assert.Equal(ConsentState.Granted, consent.State);
        Assert.Equal(2, loaded.Version);
        Assert.Equal(2, untouched);
        Assert.Equal(3, reloaded.Version);
    }

    [Fact]
    public void A_refused_transition_does_not_move_the_version()
    {
        var consent = NewConsent();
        consent.Withdraw(TestData.Now);
        var loaded = consent.Copy();

        Assert.Throws<ConsentTransitionException>(() => loaded.Withdraw(Later));
        Assert.Throws<InvalidTokenException>(() => loaded.Confirm("hash", Later));

        Assert.Equal((1L, TestData.Now), (loaded.Version, loaded.UpdatedAt));
    }

    // ----------------------------------------------------------------------------------------------------
    // Property: random transitions against a tiny reference model.
    // ----------------------------------------------------------------------------------------------------

    private enum Step
    {
        Request,
        Confirm,
        Grant,
        Withdraw,
        Commit,
    }

    private sealed record Operation(Step Step, string Hash, string? Policy);

    /// <summary>What the consent should look like, by the rules written out plainly.</summary>
    private sealed record Model(ConsentState State, string? Hash, DateTimeOffset? TokenExpiresAt, string? Policy, DateTimeOffset UpdatedAt, DateTimeOffset? GrantedAt, DateTimeOffset? WithdrawnAt, long Version, bool Advanced)
    {
        public static Model Of(Consent consent, bool advanced)
            => new(consent.State, consent.TokenHash, consent.TokenExpiresAt, consent.PolicyVersion, consent.UpdatedAt, consent.GrantedAt, consent.WithdrawnAt, consent.Version, advanced);

        private Model Touched(DateTimeOffset now) => this with { UpdatedAt = now, Version = Advanced ? Version : Version + 1, Advanced = true };

        /// <summary>The next model, or the type of exception the step must throw.</summary>
        public (Model? Next, Type? Error, InvalidTokenReason? Reason) Apply(Operation op, DateTimeOffset now) => op.Step switch
        {
            Step.Request when State == ConsentState.Granted => (null, typeof(ConsentTransitionException), null),
            Step.Request => (Touched(now) with { State = ConsentState.Pending, Hash = op.Hash, TokenExpiresAt = now.AddDays(7), Policy = op.Policy }, null, null),
            Step.Confirm when Hash != op.Hash => (null, typeof(InvalidTokenException), InvalidTokenReason.Superseded),
            Step.Confirm when State == ConsentState.Granted => (null, typeof(InvalidTokenException), InvalidTokenReason.AlreadyUsed),
            Step.Confirm when State != ConsentState.Pending => (null, typeof(ConsentTransitionException), null),
            Step.Confirm => (Touched(now) with { State = ConsentState.Granted, GrantedAt = now }, null, null),
            Step.Grant => (Touched(now) with { State = ConsentState.Granted, Policy = op.Policy, GrantedAt = now, Hash = null, TokenExpiresAt = null }, null, null),
            Step.Withdraw when State == ConsentState.Withdrawn => (null, typeof(ConsentTransitionException), null),
            Step.Withdraw => (Touched(now) with { State = ConsentState.Withdrawn, WithdrawnAt = now }, null, null),
            _ => (this with { Advanced = false }, null, null),
        };
    }

    [Property(MaxTest = 500)]
    public Property Any_sequence_of_transitions_follows_the_reference_model_and_a_refused_one_changes_nothing()
    {
        var operation =
            from step in Gen.Frequency((3, Gen.Constant(Step.Request)), (3, Gen.Constant(Step.Confirm)), (2, Gen.Constant(Step.Grant)), (2, Gen.Constant(Step.Withdraw)), (1, Gen.Constant(Step.Commit)))
            from hash in Gen.Elements("h1", "h2", "h3")
            from policy in Gen.Elements<string?>(null, "v1", "v2")
            select new Operation(step, hash, policy);
        var sequences = operation.ListOf().Select(ops => ops.ToArray()).ToArbitrary();

        return Prop.ForAll(sequences, operations =>
        {
            var consent = NewConsent();
            var model = Model.Of(consent, advanced: false);
            for (var i = 0; i < operations.Length; i++)
            {
                var op = operations[i];
                var now = TestData.Now.AddMinutes(i + 1);
                var (next, error, reason) = model.Apply(op, now);
                var thrown = Run(consent, op, now);
                if (op.Step == Step.Commit)
                {
                    consent = consent.Copy();
                }

                if (error is null)
                {
                    Assert.Null(thrown);
                    model = next!;
                }
                else
                {
                    Assert.IsType(error, thrown);
                    if (reason is not null)
                    {
                        Assert.Equal(reason, ((InvalidTokenException)thrown!).Reason);
                    }
                }

                Assert.Equal(model, Model.Of(consent, model.Advanced));
            }
        });
    }

    private static ContactManagementException? Run(Consent consent, Operation op, DateTimeOffset now)
    {
        try
        {
            switch (op.Step)
            {
                case Step.Request:
                    consent.Request(op.Hash, now.AddDays(7), op.Policy, now);
                    break;
                case Step.Confirm:
                    consent.Confirm(op.Hash, now);
                    break;
                case Step.Grant:
                    consent.Grant(op.Policy, now);
                    break;
                case Step.Withdraw:
                    consent.Withdraw(now);
                    break;
            }

            return null;
        }
        catch (ContactManagementException e)
        {
            return e;
        }
    }
}
