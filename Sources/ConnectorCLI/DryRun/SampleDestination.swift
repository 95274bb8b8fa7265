import ConnectorKit
import Foundation

/// Where a dry run loads: the first rows of every table, kept in memory, and the columns the
/// normalizer inferred. It starts from no stored state and writes nothing anywhere — the real
/// destination is never opened; only its capabilities (types, name lengths) are borrowed, so
/// the columns are the ones it would get.
final class SampleDestination: Destination {
    /// One table as the dry run saw it.
    struct Table: Sendable {
        var schema: TableSchema
        var rows = 0
        var first: [[Value]] = []
    }

    let name: String
    let capabilities: DestinationCapabilities
    let keep: Int
    private let tables = LockedBox([String: Table]())
    private let order = LockedBox([String]())

    init(borrowing real: any Destination, keep: Int = 3) {
        name = "nothing (a dry run of \(real.name))"
        var borrowed = real.capabilities
        borrowed.resumesKilledLoads = false  // it stages nothing, so there is nothing to resume
        capabilities = borrowed
        self.keep = keep
    }

    /// Tables in the order their first rows came.
    var sampled: [Table] {
        let all = tables.withLock { $0 }
        return order.withLock { $0 }.compactMap { all[$0] }
    }

    func take(_ batch: RowBatch) {
        let table = batch.table.name
        let isNew = tables.withLock { all -> Bool in
            var entry = all[table] ?? Table(schema: batch.table)
            let isNew = all[table] == nil
            entry.schema.columns = entry.schema.columns.adding(batch.table.columns)
            entry.rows += batch.rows.count
            entry.first += batch.rows.prefix(max(0, keep - entry.first.count))
            all[table] = entry
            return isNew
        }
        if isNew { order.withLock { $0.append(table) } }
    }

    func beginLoad(pipeline: String, loadId: String) async throws -> any LoadSession { Session(owner: self) }

    func openDataset(pipeline: String) async throws -> any DatasetReader {
        throw ValidationErrorText("a dry run keeps no dataset")
    }

    func resetState(pipeline: String, resource: String?) async throws -> Int { 0 }

    /// Takes the batches, keeps no state, commits nothing.
    actor Session: LoadSession {
        let owner: SampleDestination
        init(owner: SampleDestination) { self.owner = owner }
        func existingTables() async throws -> [String: [Column]] { [:] }
        func state(resource: String) async throws -> ResourceState { ResourceState() }
        func saveState(_ change: StateChange, resource: String) async throws {}
        func write(_ batches: [StagedBatch], checkpoint: Checkpoint) async throws {
            for batch in batches { owner.take(batch.rows) }
        }
        func commit(_ load: LoadSummary) async throws {}
        func abort() async {}
    }
}

struct ValidationErrorText: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
