import ConnectorKit
import Foundation
@testable import PostgresDestination
import Testing

/// A PostgreSQL load keeps its checkpoints in one table of its staging schema (`PostgresResumeStore`).
@Suite(
    "PostgreSQL checkpoints",
    .enabled(if: DestinationKind.postgresURL != nil, "needs CONNECTOR_POSTGRES_URL (scripts/with-postgres)"))
struct PostgresResumeStoreTests {
    @Test("a load staged by the earlier layout (a table per kind of checkpoint) is not resumed: the load starts over")
    func earlierLayoutStartsOver() async throws {
        let h = try Harness(.postgres)
        let staging = PostgresSQL.quoted(h.pipeline + "_staging")
        let connection = try await PostgresConnector(url: DestinationKind.postgresURL ?? "").connect()
        defer { Task { try? await connection.close() } }
        try await connection.run("CREATE SCHEMA \(staging)")
        try await connection.run(
            "CREATE UNLOGGED TABLE \(staging)._connector_resume (key text PRIMARY KEY, value text)")
        try await connection.run(
            "INSERT INTO \(staging)._connector_resume VALUES ('load_id', 'old'), ('pipeline', '\(h.pipeline)'), "
                + "('fingerprint', 'F')")
        try await connection.run(
            "CREATE UNLOGGED TABLE \(staging)._connector_progress (resource text PRIMARY KEY, progress text)")
        let session = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "new")
        let point = try await session.prepareStaging(fingerprint: "F")
        let left = try await connection.rows(
            "SELECT to_regclass('\(staging)._connector_resume') IS NULL AND to_regclass('\(staging)._connector_progress') IS NULL"
        )
        await session.abort()
        #expect(point == nil)
        #expect(left.rows == [["true"]], "the earlier layout's tables are dropped")
    }
}
