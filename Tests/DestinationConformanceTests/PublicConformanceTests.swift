import ConnectorKit
import DestinationConformance
import FileDestination
import Foundation
import SQLiteDestination
import Testing

/// `DestinationConformance`, the check destination packages run: every built-in type passes it,
/// and a destination with one part of the contract broken is named for exactly that part.
@Suite("DestinationConformance (public check)")
struct PublicConformanceTests {
    @Test("the built-in destinations conform", arguments: DestinationKind.available.map(\.rawValue) + ["files"])
    func builtInsConform(_ kind: String) async throws {
        let destination =
            try DestinationKind(rawValue: kind)?.make()
            ?? FileDestination(root: NSTemporaryDirectory() + "conformance-files-" + UUID().uuidString + "/{pipeline}")
        #expect(try await DestinationConformance.violations(of: destination) == [])
    }

    @Test(
        "a broken destination is caught at the broken part",
        arguments: [
            (BrokenDestination.Fault.forgetsState, "state and columns: the committed cursor did not read back"),
            (.replaceAppends, "append and replace: replace did not drop the earlier rows"),
            (.abortCommits, "abort: an aborted load changed the data"),
        ])
    func brokenIsCaught(fault: BrokenDestination.Fault, expected: String) async throws {
        let sqlite = try #require(try DestinationKind.sqlite.make() as? SQLiteDestination)
        let found = try await DestinationConformance.violations(of: BrokenDestination(base: sqlite, fault: fault))
        #expect(found.contains { $0.hasPrefix(expected) }, "\(found)")
    }
}

/// SQLite with one fault, to show the check sees it.
struct BrokenDestination: Destination {
    enum Fault: Sendable { case forgetsState, replaceAppends, abortCommits }
    let base: SQLiteDestination
    let fault: Fault
    var name: String { base.name }
    var capabilities: DestinationCapabilities { base.capabilities }

    func beginLoad(pipeline: String, loadId: String) async throws -> any LoadSession {
        BrokenSession(base: try await base.beginLoad(pipeline: pipeline, loadId: loadId), fault: fault)
    }
    func openDataset(pipeline: String) async throws -> any DatasetReader {
        try await base.openDataset(pipeline: pipeline)
    }
    func resetState(pipeline: String, resource: String?) async throws -> Int { 0 }
}

actor BrokenSession: LoadSession {
    let base: any LoadSession
    let fault: BrokenDestination.Fault
    private var staged: [StagedBatch] = []
    init(base: any LoadSession, fault: BrokenDestination.Fault) {
        self.base = base
        self.fault = fault
    }
    func existingTables() async throws -> [String: [Column]] { try await base.existingTables() }
    func state(resource: String) async throws -> ResourceState {
        fault == .forgetsState ? ResourceState() : try await base.state(resource: resource)
    }
    func saveState(_ change: StateChange, resource: String) async throws {
        try await base.saveState(change, resource: resource)
    }
    func write(_ batches: [StagedBatch], checkpoint: Checkpoint) async throws {
        staged += batches
        try await base.write(batches, checkpoint: checkpoint)
    }

    func commit(_ load: LoadSummary) async throws {
        guard fault == .replaceAppends else { return try await base.commit(load) }
        let appending = load.publications.map { publication in
            var changed = publication
            changed.roots = publication.roots.map {
                RootTable(name: $0.name, disposition: .append, primaryKey: $0.primaryKey)
            }
            return changed
        }
        try await base.commit(
            LoadSummary(
                loadId: load.loadId, pipeline: load.pipeline, startedAt: load.startedAt, finishedAt: load.finishedAt,
                reports: load.reports, publications: appending))
    }

    /// `abortCommits` publishes what was staged instead of discarding it.
    func abort() async {
        guard fault == .abortCommits else { return await base.abort() }
        let tables = Dictionary(staged.map { ($0.rows.table.name, $0.rows.table) }) { a, _ in a }.values
        let roots = tables.filter(\.isRoot).map { RootTable(name: $0.name, disposition: .append, primaryKey: []) }
        let publication = ResourcePublication(resource: "r", tables: Array(tables), roots: roots)
        try? await base.commit(
            LoadSummary(
                loadId: "aborted", pipeline: "p", startedAt: "s", finishedAt: "f",
                reports: [ResourceReport(resource: "r", status: .succeeded)], publications: [publication]))
    }
}
