using eSafe.Server.Admin;
using eSafe.Server.Security;
using eSafe.Server.Storage;

namespace eSafe.Server.Devices;

/// <summary>Turns a code a device typed into its school, counting the use (see <see cref="IEnrolmentCodeStore"/>).</summary>
public sealed class EnrolmentCodeCheck(IEnrolmentCodeStore codes, ISchoolStore schools, TimeProvider clock)
{
    public async Task<Redemption> RedeemAsync(string? enteredCode, CancellationToken cancellationToken)
    {
        if (Secrets.NormaliseEnrolmentCode(enteredCode) is not { } normalised)
        {
            return new Redemption(RedeemOutcome.Unknown, null);
        }

        var hash = Secrets.HashEnrolmentCode(normalised);
        var now = clock.GetUtcNow();
        var redemption = await codes.RedeemAsync(hash, now, cancellationToken);
        if (redemption.Outcome == RedeemOutcome.Unknown && await codes.GetAsync(hash, cancellationToken) is null
            && await schools.FindByEnrolmentCodeHashAsync(hash, cancellationToken) is { } school)
        {
            // A school's code from before codes had limits: from its first use on it has the default ones.
            var limits = EnrolmentCodeLimits.Default;
            await codes.IssueAsync(new EnrolmentCodeRecord(hash, school.Id, limits.Uses, 0, now, limits.ExpiryFrom(now)), cancellationToken);
            redemption = await codes.RedeemAsync(hash, now, cancellationToken);
        }

        return redemption;
    }
}
