using KeyVault.Keys;

namespace KeyVault.Signing;

/// <summary>What <see cref="SuccessorStatement.Verify"/> found.</summary>
/// <param name="Statement">The statement as read.</param>
/// <param name="OldSignature">The old key's signature value, as written.</param>
/// <param name="OldKeyProblem">Null when the old key's signature is valid; otherwise why not.</param>
/// <param name="AcceptanceProblem">Null when the new key's acceptance is valid; <see cref="SuccessorStatement.NotAcceptedYet"/> when there is none; otherwise why not.</param>
public sealed record SuccessorStatementVerification(SuccessorStatement Statement, string OldSignature, string? OldKeyProblem, string? AcceptanceProblem)
{
    /// <summary>True when both keys signed: the rotation from <see cref="OldKey"/> to <see cref="NewKey"/> is proven.</summary>
    public bool Valid => OldKeyProblem is null && AcceptanceProblem is null;

    /// <summary>The retired key.</summary>
    public PublicKey OldKey => Statement.OldKey;

    /// <summary>Its successor.</summary>
    public PublicKey NewKey => Statement.NewKey;
}
