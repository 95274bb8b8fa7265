import ConnectorKit
import Foundation
@testable import PostgresDestination
import Testing

/// Key indexes built on a second connection while a load goes on (`PostgresEarlyKeyIndexes`).
@Suite(
    "PostgreSQL early key indexes",
    .enabled(if: DestinationKind.postgresURL != nil, "needs CONNECTOR_POSTGRES_URL (scripts/with-postgres)"))
struct PostgresEarlyKeyIndexesTests {
    @Test("the second connection stays open between bursts of finished resources, and closes with the load")
    func secondConnectionLingers() async throws {
        let url = DestinationKind.postgresURL ?? ""
        let dataset = "early_" + UUID().uuidString.prefix(8).lowercased()
        let staging = dataset + "_staging"
        let connection = try await PostgresConnector(url: url).connect()
        defer { Task { try? await connection.close() } }
        try await connection.run("CREATE SCHEMA \(staging)")
        for table in ["first", "second"] {
            try await connection.run("CREATE TABLE \(staging).\(table) (_connector_id text)")
        }
        let early = PostgresEarlyKeyIndexes(
            connector: try PostgresConnector(url: url), indexes: PostgresKeyIndexes(dataset: dataset, staging: staging),
            linger: .seconds(30))
        // The backend whose last statement built `table`'s index (it stays listed while its connection is open).
        func builder(of table: String) async throws -> String? {
            for _ in 0..<500 {
                let found = try await connection.rows(
                    "SELECT pid::text FROM pg_stat_activity WHERE query LIKE 'CREATE INDEX%\(staging)\".\"\(table)\"%'"
                ).rows
                if let pid = found.first?.first { return pid }
                try await Task.sleep(for: .milliseconds(20))
            }
            return nil
        }
        await early.add([.init(table: "first", column: SystemColumn.id, unique: false)])
        let first = try #require(try await builder(of: "first"))
        try await Task.sleep(for: .milliseconds(100))  // the burst is over: the connection idles
        await early.add([.init(table: "second", column: SystemColumn.id, unique: false)])
        #expect(try await builder(of: "second") == first, "the second burst reuses the first one's connection")
        await early.close()
        var gone = false
        for _ in 0..<500 where !gone {
            gone =
                try await connection.rows("SELECT count(*) FROM pg_stat_activity WHERE pid = \(first)").rows == [["0"]]
            if !gone { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(gone, "closing the load closes the second connection")
        try await connection.run("DROP SCHEMA \(staging) CASCADE")
    }

    @Test("the lingering connection, taken by the publish, is not closed under it")
    func publishKeepsTheLingeringConnection() async throws {
        let url = DestinationKind.postgresURL ?? ""
        let dataset = "early_" + UUID().uuidString.prefix(8).lowercased()
        let staging = dataset + "_staging"
        let connection = try await PostgresConnector(url: url).connect()
        defer { Task { try? await connection.close() } }
        try await connection.run("CREATE SCHEMA \(staging)")
        try await connection.run("CREATE TABLE \(staging).first (_connector_id text)")
        let early = PostgresEarlyKeyIndexes(
            connector: try PostgresConnector(url: url), indexes: PostgresKeyIndexes(dataset: dataset, staging: staging),
            linger: .milliseconds(100))
        await early.add([.init(table: "first", column: SystemColumn.id, unique: false)])
        // The publish joins in (waiting for the build), then takes the second connection for its own builds.
        _ = try await early.finish(joining: connection)
        let helper = try #require(await early.helper())
        await #expect(throws: Never.self) { try await helper.run("SELECT pg_sleep(0.5)") }
        await early.close()
        try await connection.run("DROP SCHEMA \(staging) CASCADE")
    }
}
