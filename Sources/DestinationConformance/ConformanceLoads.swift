import ConnectorKit
import Foundation

/// Loads records into table `t` (resource `r`, key `id`) of one fresh pipeline of a destination,
/// the way the engine does: normalized, staged with a checkpoint, told done staging, then committed
/// or aborted.
struct ConformanceLoads: Sendable {
    let destination: any Destination
    let pipeline = "conformance_" + UUID().uuidString.prefix(8).lowercased()

    /// How a load ends: committed, or aborted after staging.
    enum Ending: Sendable { case commit, abort }

    /// One load of `records` (a JSON array); `beforeCommit` looks at the dataset while rows are staged.
    func run(
        _ records: String, _ disposition: WriteDisposition, cursor: String? = nil, ending: Ending = .commit,
        beforeCommit: @Sendable () async throws -> Void = {}
    ) async throws {
        let loadId = UUID().uuidString
        let session = try await destination.beginLoad(pipeline: pipeline, loadId: loadId)
        do {
            let normalizer = RecordNormalizer(
                loadId: loadId, maxNesting: 4, existing: try await session.existingTables())
            normalizer.declareRoot("t", primaryKey: ["id"], disposition: disposition, resource: "r", columns: [:])
            let parser = JSONParser()
            for record in try parser.parse(Array(records.utf8)).elements {
                try normalizer.add(record, to: "t", extras: [])
            }
            let checkpoint = Checkpoint(resource: "r", progress: ResourceProgress(), items: [:], parentRows: [])
            try await session.write(
                normalizer.takeBatches().map { StagedBatch($0, itemOrder: 0) }, checkpoint: checkpoint)
            guard ending == .commit else { return await session.abort() }
            try await beforeCommit()
            var report = ResourceReport(resource: "r", status: .succeeded)
            report.rows = normalizer.rowCounts
            let state = ResourceState(cursors: cursor.map { [WorkItemKey(""): $0] } ?? [:])
            let publication = ResourcePublication(
                resource: "r", tables: normalizer.schemas,
                roots: [RootTable(name: "t", disposition: disposition, primaryKey: ["id"])],
                state: StateChange(updates: state))
            await session.stagingFinished(publication)
            try await session.commit(
                LoadSummary(
                    loadId: loadId, pipeline: pipeline, startedAt: "2024-01-01T00:00:00Z",
                    finishedAt: "2024-01-01T00:00:01Z", reports: [report], publications: [publication]))
        } catch {
            await session.abort()
            throw error
        }
    }

    /// Rows per data table, empty tables left out (a destination may or may not keep them).
    func counts() async throws -> [String: Int] {
        let dataset = try await destination.openDataset(pipeline: pipeline)
        let tables = try await dataset.tables()
        await dataset.close()
        return Dictionary(uniqueKeysWithValues: tables.filter { $0.rows > 0 }.map { ($0.name, $0.rows) })
    }
}
