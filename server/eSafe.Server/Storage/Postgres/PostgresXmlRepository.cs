using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace eSafe.Server.Storage.Postgres;

/// <summary>
/// The cookie keys in the shared database instead of <c>keys/data-protection/</c>, so that every server process signs and
/// reads cookies with the same keys (no session affinity needed). Elements arrive already encrypted with the data key
/// (<see cref="Security.AtRestXmlEncryptor"/>).
/// </summary>
public sealed class PostgresXmlRepository(PostgresDatabase database) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var connection = database.Source.OpenConnection();
        using var command = connection.Sql("SELECT xml FROM data_protection_keys ORDER BY created_at, friendly_name");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var connection = database.Source.OpenConnection();
        using var command = connection.Sql("INSERT INTO data_protection_keys (friendly_name, xml) VALUES ($1, $2) ON CONFLICT (friendly_name) DO NOTHING",
            friendlyName, element.ToString(SaveOptions.DisableFormatting));
        command.ExecuteNonQuery();
    }
}
