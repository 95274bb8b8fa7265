import ConnectorKit
import Foundation
@testable import PostgresDestination
import PostgresNIO
import Testing

/// Key indexes built on a second connection while a load goes on (`PostgresEarlyKeyIndexes`).
@Suite(
    "PostgreSQL early key indexes",
    .enabled(if: DestinationKind.postgresURL != nil, "needs CONNECTOR_POSTGRES_URL (scripts/with-postgres)"))
struct PostgresEarlyKeyIndexesTests {
    /// A staging schema of its own with empty staged `tables`, a connection to look with, and the
    /// builder of their key indexes.
    struct Scratch {
        let staging: String
        let connection: PostgresConnection
        let early: PostgresEarlyKeyIndexes

        init(tables: [String], linger: Duration) async throws {
            let url = DestinationKind.postgresURL ?? ""
            let dataset = "early_" + UUID().uuidString.prefix(8).lowercased()
            staging = dataset + "_staging"
            connection = try await PostgresConnector(url: url).connect()
            try await connection.run("CREATE SCHEMA \(staging)")
            for table in tables { try await connection.run("CREATE TABLE \(staging).\(table) (_connector_id text)") }
            early = PostgresEarlyKeyIndexes(
                connector: try PostgresConnector(url: url),
                indexes: PostgresKeyIndexes(dataset: dataset, staging: staging), linger: linger)
        }

        func index(_ table: String) async {
            await early.add([.init(table: table, column: SystemColumn.id, unique: false)])
        }

        func end() async throws {
            await early.close()
            try await connection.run("DROP SCHEMA \(staging) CASCADE")
            try await connection.close()
        }
    }

    @Test("the second connection stays open between bursts of finished resources, and closes with the load")
    func secondConnectionLingers() async throws {
        let s = try await Scratch(tables: ["first", "second"], linger: .seconds(30))
        // The backend whose last statement built `table`'s index (it stays listed while its connection is open).
        func builder(of table: String) async throws -> String? {
            for _ in 0..<500 {
                let found = try await s.connection.rows(
                    "SELECT pid::text FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX%\(s.staging)\".\"\(table)\"%'"
                ).rows
                if let pid = found.first?.first { return pid }
                try await Task.sleep(for: .milliseconds(20))
            }
            return nil
        }
        await s.index("first")
        let first = try #require(try await builder(of: "first"))
        try await Task.sleep(for: .milliseconds(100))  // the burst is over: the connection idles
        await s.index("second")
        #expect(try await builder(of: "second") == first, "the second burst reuses the first one's connection")
        await s.early.close()
        var gone = false
        for _ in 0..<500 where !gone {
            let left = try await s.connection.rows("SELECT count(*) FROM pg_stat_activity WHERE pid = \(first)")
            gone = left.rows == [["0"]]
            if !gone { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(gone, "closing the load closes the second connection")
        try await s.end()
    }

    @Test("the lingering connection, taken by the publish, is not closed under it")
    func publishKeepsTheLingeringConnection() async throws {
        let s = try await Scratch(tables: ["first"], linger: .milliseconds(100))
        await s.index("first")
        // The publish joins in (waiting for the build), then takes the second connection for its own builds.
        _ = try await s.early.finish(joining: s.connection)
        let helper = try #require(await s.early.helper())
        await #expect(throws: Never.self) { try await helper.run("SELECT pg_sleep(0.5)") }
        try await s.end()
    }
}
