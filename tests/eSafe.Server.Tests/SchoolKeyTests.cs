using eSafe.Server.Storage;
using eSafe.Server.Storage.LiteDb;
using LiteDB;

namespace eSafe.Server.Tests;

/// <summary>The key behind pupils' user IDs is the school's alone: a database from before still opens, without it.</summary>
public sealed class SchoolKeyTests
{
    [Test]
    public async Task A_database_whose_schools_still_hold_a_user_id_key_opens_and_the_key_is_removed()
    {
        var path = Path.Combine(Path.GetTempPath(), "esafe-school-key-" + Guid.NewGuid().ToString("N"));
        try
        {
            using (var data = DataFolder.Open(path))
            {
                // As the server stored a school before: its user-ID key beside it, encrypted with the data key.
                data.Database.GetCollection("schools").Insert(new BsonDocument
                {
                    ["_id"] = "sch-old",
                    ["name"] = "Old School",
                    ["userIdKey"] = new BsonValue(data.Cipher.Encrypt(new byte[32], "school-user-id-key\nsch-old")),
                    ["enrolmentCodeHash"] = "hash-1",
                    ["createdAt"] = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeMilliseconds(),
                });
            }

            using (var data = DataFolder.Open(path))
            {
                var store = new LiteSchoolStore(data);

                var school = await store.GetAsync("sch-old", CancellationToken.None);

                school.Should().NotBeNull();
                school!.Name.Should().Be("Old School");
                (await store.FindByEnrolmentCodeHashAsync("hash-1", CancellationToken.None))!.Id.Should().Be("sch-old");
                data.Database.GetCollection("schools").FindById("sch-old").Keys.Should().NotContain("userIdKey");
            }
        }
        finally
        {
            Directory.Delete(path, recursive: true);
        }
    }
}
