import Foundation
import Testing

@testable import SQLiteDestination

/// The scratch database's page cache is kept small (`SQLiteLoadSession.stagingCacheKiB`): peak
/// RSS at scale 100 sits a few MB under the 150 MB budget, and SQLite's 2 MB default per
/// session would spend that margin on a cache staging does not need. Re-attaching (a fresh
/// staging file) must keep the setting, since SQLite sets it per attached database.
@Suite("SQLite staging cache")
struct StagingCacheTests {
    @Test("the attached staging database gets the small page cache, the main file keeps its default")
    func stagingCacheIsSmall() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("stg-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let connection = try SQLiteConnection(path: dir.appendingPathComponent("d.sqlite").path)
        let mainDefault = try connection.scalar("PRAGMA main.cache_size")
        try SQLiteLoadSession.attachStaging(connection, dir.appendingPathComponent("d.sqlite.staging").path)
        #expect(try connection.scalar("PRAGMA stg.cache_size") == "-\(SQLiteLoadSession.stagingCacheKiB)")
        #expect(try connection.scalar("PRAGMA main.cache_size") == mainDefault)
        try connection.execute("DETACH DATABASE stg")
        try SQLiteLoadSession.attachStaging(connection, dir.appendingPathComponent("d.sqlite.staging").path)
        #expect(try connection.scalar("PRAGMA stg.cache_size") == "-\(SQLiteLoadSession.stagingCacheKiB)")
    }
}
