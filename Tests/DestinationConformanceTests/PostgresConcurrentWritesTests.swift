import ConnectorKit
import Foundation
@testable import PostgresDestination
import Testing

/// Resources stage at once through one PostgreSQL session, on one connection: each write must keep
/// its own transaction, whatever another write does meanwhile.
@Suite(
    "PostgreSQL concurrent writes",
    .enabled(if: DestinationKind.postgresURL != nil, "needs CONNECTOR_POSTGRES_URL (scripts/with-postgres)"))
struct PostgresConcurrentWritesTests {
    @Test("a write refused while another runs loses none of the other's rows")
    func refusedWriteLosesNoneOfAnother() async throws {
        let h = try Harness(.postgres)
        let staging = h.pipeline + "_staging"
        let session = try await h.destination.beginLoad(pipeline: h.pipeline, loadId: "a")
        _ = try await session.prepareStaging(fingerprint: "f")
        var good: [TableSchema] = []
        do {
            _ = try await write(#"[{"id":0}]"#, table: "bad", session)
            try await run(
                "CREATE FUNCTION \(staging).refuse() RETURNS trigger LANGUAGE plpgsql AS "
                    + "$$ BEGIN RAISE EXCEPTION 'refused by test'; END $$")
            try await run(
                "CREATE TRIGGER refuse BEFORE INSERT ON \(staging).bad FOR EACH ROW EXECUTE FUNCTION \(staging).refuse()"
            )
            for round in 1...20 {
                async let kept = write(#"[{"id":\#(round)}]"#, table: "good", session)
                async let refused = write(#"[{"id":1}]"#, table: "bad", session)
                // Sharing one transaction, the refusal ended the other write's too (it then failed,
                // or its rows went with the rollback).
                good = try await kept
                do {
                    _ = try await refused
                    Issue.record("round \(round): a row the trigger refuses was staged")
                } catch {}
            }
            let publication = ResourcePublication(
                resource: "good", tables: good, roots: [RootTable(name: "good", disposition: .append, primaryKey: [])])
            var report = ResourceReport(resource: "good", status: .succeeded)
            report.rows = ["good": 20]
            try await session.commit(
                LoadSummary(
                    loadId: "a", pipeline: h.pipeline, startedAt: "s", finishedAt: "f", reports: [report],
                    publications: [publication]))
        } catch {
            await session.abort()
            throw error
        }
        #expect(try await h.count("good") == 20)
    }

    private func run(_ sql: String) async throws {
        let connection = try await PostgresConnector(url: DestinationKind.postgresURL ?? "").connect()
        defer { Task { try? await connection.close() } }
        try await connection.run(sql)
    }

    /// Stages `records` as resource `table`'s rows of table `table`; returns the table's schema.
    private func write(_ records: String, table: String, _ session: any LoadSession) async throws -> [TableSchema] {
        let normalizer = RecordNormalizer(loadId: "a", maxNesting: 2)
        normalizer.declareRoot(table, primaryKey: [], disposition: .append, resource: table)
        let parser = JSONParser()  // keeps the parsed document alive while its records are read
        for record in try parser.parse(Array(records.utf8)).elements {
            try normalizer.add(record, to: table, extras: [])
        }
        try await session.write(
            normalizer.takeBatches().map { StagedBatch($0, itemOrder: 0) },
            checkpoint: Checkpoint(
                resource: table, progress: ResourceProgress(tables: normalizer.schemas), items: [:], parentRows: []))
        return normalizer.schemas
    }
}
