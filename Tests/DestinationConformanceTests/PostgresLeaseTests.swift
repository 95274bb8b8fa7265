import ConnectorKit
import Foundation
@_spi(Testing) import ConnectorKit
@testable import PostgresDestination
import Testing

/// Leases on lanes (`PostgresLeases`): who may take over a dead shard's load, and why a load
/// never publishes twice.
@Suite("PostgreSQL leases")
struct PostgresLeaseTests {
    static let url = DestinationKind.postgresURL

    /// A harness on a fresh dataset, loading as shard 0 of 2.
    func shardHarness() throws -> (Harness, PostgresDestination) {
        var postgres = try PostgresDestination(url: Self.url ?? "", dataset: "{pipeline}")
        postgres.scope = WorkScope(shard: try Shard(index: 0, count: 2))
        return (try Harness(destination: postgres), postgres)
    }

    /// Stages one row of table `t` and returns the summary that publishes it.
    func stageOne(_ id: Int, loadId: String, pipeline: String, into session: any LoadSession) async throws
        -> LoadSummary
    {
        let normalizer = RecordNormalizer(loadId: loadId, maxNesting: 6)
        normalizer.declareRoot("t", primaryKey: [], disposition: .append, resource: "r")
        let parser = JSONParser()  // the parsed values live as long as their parser
        for record in try parser.parse(Array(#"[{"id":\#(id)}]"#.utf8)).elements {
            try normalizer.add(record, to: "t", extras: [])
        }
        let progress = ResourceProgress(tables: normalizer.schemas, rows: normalizer.rowCounts, pages: 1)
        try await session.write(
            normalizer.takeBatches().map { StagedBatch($0, itemOrder: 0) },
            checkpoint: Checkpoint(resource: "r", progress: progress, items: [:], parentRows: []))
        var report = ResourceReport(resource: "r", status: .succeeded)
        report.rows = normalizer.rowCounts
        let publication = ResourcePublication(
            resource: "r", tables: normalizer.schemas,
            roots: [RootTable(name: "t", disposition: .append, primaryKey: [])])
        return LoadSummary(
            loadId: loadId, pipeline: pipeline, startedAt: "s", finishedAt: "f", reports: [report],
            publications: [publication])
    }

    @Test(
        "a load whose lease is no longer its own does not publish",
        .enabled(if: url != nil, "needs CONNECTOR_POSTGRES_URL (scripts/with-postgres)"))
    func lostLeaseDoesNotPublish() async throws {
        let (h, postgres) = try shardHarness()
        let session = try await postgres.beginLoad(pipeline: h.pipeline, loadId: "a")
        _ = try await session.prepareStaging(fingerprint: "F")
        let summary = try await stageOne(1, loadId: "a", pipeline: h.pipeline, into: session)
        // Alive (its lock is held), so nobody may claim it, however old its lease.
        let listed = try await postgres.expiredLeases(pipeline: h.pipeline, olderThan: 0)
        #expect(listed.map(\.lane) == ["s0of2"])
        #expect(listed.first?.scope == postgres.scope)
        #expect(try await postgres.claim(#require(listed.first), pipeline: h.pipeline, olderThan: 0) == nil)
        // Were its lease taken over anyway, its publish checks the lease in its own transaction.
        _ = try await h.rows("UPDATE _connector_leases SET holder = 'another-host:1:x'")
        let refused = await #expect(throws: PostgresDestinationError.self) { try await session.commit(summary) }
        #expect(refused?.description.contains("is no longer this run's") == true, "\(String(describing: refused))")
        #expect(try await h.rows("SELECT count(*) FROM _connector_loads") == [["0"]])
        #expect(try await h.rows("SELECT to_regclass('t') IS NULL") == [["true"]])
    }

    @Test(
        "a dead load is claimed once, only when its lease is older than asked, and resumes to one publish",
        .enabled(if: url != nil, "needs CONNECTOR_POSTGRES_URL (scripts/with-postgres)"))
    func deadLoadClaimedOnce() async throws {
        let (h, postgres) = try shardHarness()
        let dead = try await postgres.beginLoad(pipeline: h.pipeline, loadId: "dead")
        _ = try await dead.prepareStaging(fingerprint: "F")
        let summary = try await stageOne(1, loadId: "dead", pipeline: h.pipeline, into: dead)
        await (try #require(dead as? any SimulatedCrash)).simulateCrash()

        #expect(try await postgres.expiredLeases(pipeline: h.pipeline, olderThan: 3600).isEmpty)
        let lease = try #require(try await postgres.expiredLeases(pipeline: h.pipeline, olderThan: 0).first)
        // Stale listings (a lease renewed since) are checked again when claiming.
        #expect(try await postgres.claim(lease, pipeline: h.pipeline, olderThan: 3600) == nil)
        let adopter = try #require(try await postgres.claim(lease, pipeline: h.pipeline, olderThan: 0))
        #expect(try await postgres.claim(lease, pipeline: h.pipeline, olderThan: 0) == nil, "claimed once")
        let session = try await adopter.beginLoad(pipeline: h.pipeline, loadId: "adopter")
        let point = try #require(try await session.prepareStaging(fingerprint: "F"))
        #expect(point.loadId == "dead")
        try await session.commit(summary)
        #expect(try await h.rows("SELECT id FROM t") == [["1"]])
        #expect(try await h.rows("SELECT load_id FROM _connector_loads") == [["dead"]])
        #expect(try await h.rows("SELECT count(*) FROM _connector_leases") == [["0"]])
    }
}
