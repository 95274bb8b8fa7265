import ConnectorKit
import DestinationConformance
import Foundation
import JSONLinesDestination
import Testing

/// The session contract on real files: nothing is visible before commit, abort leaves nothing,
/// replace drops the earlier rows, append keeps them.
@Suite("jsonl_lines sessions")
struct LoadSessionTests {
    let root = NSTemporaryDirectory() + "jsonl-lines-" + UUID().uuidString.prefix(8)

    static func table(_ disposition: WriteDisposition) -> TableSchema {
        TableSchema(
            name: "items", columns: [Column(name: "id", type: .bigint), Column(name: "name", type: .text)], parent: nil,
            root: "items", primaryKey: ["id"], disposition: disposition, resource: "items")
    }

    /// Stages `ids` into one load of `items`; commits with a cursor when `commit`, else aborts.
    func load(_ id: String, ids: [Int64], _ disposition: WriteDisposition, commit: Bool) async throws {
        let before = try await rows()
        let destination = JSONLinesDestination(root: root)
        let session = try await destination.beginLoad(pipeline: "p", loadId: id)
        let batch = RowBatch(table: Self.table(disposition), rows: ids.map { [.int($0), .text("n\($0)")] })
        let checkpoint = Checkpoint(resource: "items", progress: ResourceProgress(), items: [:], parentRows: [])
        try await session.write([StagedBatch(batch, itemOrder: 0)], checkpoint: checkpoint)
        #expect(try await rows() == before, "staged rows are not visible before commit")
        guard commit else { return await session.abort() }
        var report = ResourceReport(resource: "items", status: .succeeded)
        report.rows = ["items": ids.count]
        let change = StateChange(updates: ResourceState(cursors: ["": "\(id)"]))
        let publication = ResourcePublication(
            resource: "items", tables: [Self.table(disposition)],
            roots: [RootTable(name: "items", disposition: disposition, primaryKey: ["id"])], state: change)
        try await session.commit(
            LoadSummary(
                loadId: id, pipeline: "p", startedAt: "t0", finishedAt: "t1", reports: [report],
                publications: [publication]))
    }

    func rows() async throws -> [String: Int] {
        let reader = try await JSONLinesDestination(root: root).openDataset(pipeline: "p")
        return Dictionary(uniqueKeysWithValues: try await reader.tables().map { ($0.name, $0.rows) })
    }

    @Test("an aborted load leaves no data, no state and no staging behind")
    func abortLeavesNothing() async throws {
        try await load("l1", ids: [1, 2], .append, commit: false)
        #expect(try await rows() == [:])
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).isEmpty)
    }

    @Test("commit publishes rows and state together; append keeps earlier rows, replace drops them")
    func commitPublishes() async throws {
        try await load("l1", ids: [1, 2], .append, commit: true)
        try await load("l2", ids: [3], .append, commit: true)
        #expect(try await rows() == ["items": 3])
        try await load("l3", ids: [4, 5, 6, 7], .replace, commit: false)
        #expect(try await rows() == ["items": 3], "an aborted replace keeps the published rows")
        try await load("l4", ids: [8], .replace, commit: true)
        #expect(try await rows() == ["items": 1])
        let session = try await JSONLinesDestination(root: root).beginLoad(pipeline: "p", loadId: "l5")
        #expect(try await session.state(resource: "items").cursors[""] == "l4")
        await session.abort()
        let versions = try FileManager.default.contentsOfDirectory(atPath: root + "/versions")
        #expect(versions == ["l4"], "only the published version is kept")
    }

    @Test("the repository's conformance check finds nothing wrong")
    func conforms() async throws {
        #expect(try await DestinationConformance.violations(of: JSONLinesDestination(root: root + "/{pipeline}")) == [])
    }
}
