namespace eSafe.Server.Devices;

/// <summary>What the device API logs: IDs and reasons, never an incident's contents or a token.</summary>
internal static partial class DeviceLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Device {DeviceId} enrolled in school {SchoolId}")]
    public static partial void Enrolled(ILogger logger, string deviceId, string schoolId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident {IncidentId} received from device {DeviceId} (school {SchoolId}, severity {Severity})")]
    public static partial void Received(ILogger logger, string incidentId, string deviceId, string schoolId, int severity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a delivery from device {DeviceId}: {Reason}")]
    public static partial void Refused(ILogger logger, string deviceId, string reason);
}
