using eSafe.Server.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace eSafe.Server.Tests.Storage;

/// <summary>
/// A fresh LiteDB server has every store's collection made before its first request (LiteDB 5 can fail a read of a
/// collection another transaction is making, its issue 2792), and made empty.
/// </summary>
public sealed class LiteCollectionTests
{
    [Test]
    public async Task Every_stores_collection_is_made_empty_when_the_stores_open()
    {
        await using var stores = await StoreKind.LiteDb.OpenAsync();
        // Every store the server wires, opened as the server opens them.
        foreach (var service in new ServiceCollection().AddStorage(stores.Folder).Select(d => d.ServiceType).Distinct())
        {
            _ = stores.Get(service);
        }

        var database = stores.Folder.Database;
        string[] expected = ["accounts", "audit", "deviceRepeats", "devices", "enrolment_codes", "device_heartbeats", "incidents", "incident_contents",
            "incident_workflow", "jobs", "login_throttle", "missed", "pendingIncidents", "period_keys", "proposals", "safeguarding", "school_layers",
            "school_entries", "school_entry_history", "schools", "screenshots", "sessions"];
        database.GetCollectionNames().Should().Contain(expected);
        expected.Where(name => name is not "audit" and not "schools").Should().OnlyContain(name => database.GetCollection(name).Count() == 0);
    }
}
