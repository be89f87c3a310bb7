namespace eSafe.Server.Storage;

public interface ISchoolStore
{
    Task AddAsync(SchoolRecord school, CancellationToken cancellationToken);

    Task<SchoolRecord?> GetAsync(string id, CancellationToken cancellationToken);

    /// <summary>The school whose enrolment code has this hash (see <see cref="Security.Secrets.HashEnrolmentCode"/>).</summary>
    Task<SchoolRecord?> FindByEnrolmentCodeHashAsync(string codeHash, CancellationToken cancellationToken);

    Task<IReadOnlyList<SchoolRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Replaces a school's enrolment code; false when there is no such school.</summary>
    Task<bool> SetEnrolmentCodeHashAsync(string id, string codeHash, CancellationToken cancellationToken);

    /// <summary>Sets how long the school's incidents are kept (null: the default); false when there is no such school.</summary>
    Task<bool> SetRetentionMonthsAsync(string id, int? months, CancellationToken cancellationToken);
}
