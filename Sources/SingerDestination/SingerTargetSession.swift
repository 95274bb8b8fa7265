import ConnectorKit
import Foundation

/// One load into a Singer target. `write` spools RECORD lines to disk, a file per table
/// (bounded memory, nothing reaches the target yet); `commit` starts the target and streams,
/// per succeeded resource, each table's SCHEMA and spooled records, then one STATE with the
/// pipeline's new state. connector's state is saved only when the target echoed that STATE
/// (it has loaded everything before it) and exited 0; otherwise commit throws and the stored
/// state stays as it was, so the next run reads the same data again.
actor SingerTargetSession: LoadSession {
    let target: SingerTargetConfig
    let store: SingerStateStore
    let spool: String
    private var handles: [String: FileHandle] = [:]
    private var spooledRows: [String: Int] = [:]
    private var finished = false

    init(target: SingerTargetConfig, store: SingerStateStore, loadId: String) throws {
        self.target = target
        self.store = store
        spool = store.directory + "/.spool-" + loadId
        let fm = FileManager.default
        try fm.createDirectory(atPath: store.directory, withIntermediateDirectories: true)
        for leftover in (try? fm.contentsOfDirectory(atPath: store.directory)) ?? [] where leftover.hasPrefix(".spool-")
        {
            try? fm.removeItem(atPath: store.directory + "/" + leftover)
        }
        try fm.createDirectory(atPath: spool, withIntermediateDirectories: true)
    }

    func existingTables() throws -> [String: [Column]] { store.tables().mapValues(\.columns) }

    func state(resource: String) throws -> ResourceState { try store.state().resourceState(resource) }

    /// Export jobs in flight are connector's own facts (no data): saved at once, as elsewhere.
    func saveState(_ change: StateChange, resource: String) throws {
        var state = try store.state()
        state.apply(change, resource: resource)
        try store.save(state)
    }

    /// No resume: a run that dies starts over (the target never saw its rows).
    func write(_ batches: [StagedBatch], checkpoint: Checkpoint) throws {
        for batch in batches {
            let table = batch.rows.table
            var text = ""
            for row in batch.rows.rows {
                text += SingerMessages.record(stream: table.name, columns: table.columns, row: row) + "\n"
            }
            try handle(table.name).write(contentsOf: Data(text.utf8))
            spooledRows[table.name, default: 0] += batch.rows.rows.count
        }
    }

    private func handle(_ table: String) throws -> FileHandle {
        if let handle = handles[table] { return handle }
        let path = spool + "/" + table + ".jsonl"
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw SingerError("cannot write \(path)") }
        handles[table] = handle
        return handle
    }

    func commit(_ load: LoadSummary) async throws {
        defer { cleanUp() }
        for handle in handles.values { try handle.close() }
        handles.removeAll()
        guard !load.publications.isEmpty else { return }
        var state = try store.state()
        for publication in load.publications { state.apply(publication.state, resource: publication.resource) }
        let plan = SingerFeed(publications: load.publications, spool: spool, state: state)
        let outcome = try await SingerTargetProcess(command: target.command, config: target.config).run(plan.send)
        try confirm(outcome, sent: state)
        try store.save(state)
        try store.save(tablesAfter(load))
    }

    /// Throws unless the target loaded everything: exit 0, and the last STATE it echoed is ours.
    private func confirm(_ outcome: SingerTargetProcess.Outcome, sent: SingerState) throws {
        let program = target.command.first ?? "the target"
        let unchanged = "connector's state is unchanged, so the next run reads this data again"
        if let error = outcome.feedError, outcome.status == 0 {
            throw SingerError("\(program) stopped reading its input (\(error)); \(unchanged)")
        }
        guard !outcome.signaled else {
            throw SingerError("\(program) was killed by signal \(outcome.status); \(unchanged)")
        }
        guard outcome.status == 0 else {
            throw SingerError("\(program) exited with status \(outcome.status); \(unchanged)")
        }
        let echoed = try outcome.lastState.map { data throws(SingerError) in
            try SingerState.parse(data, what: "the STATE \(program) printed")
        }
        guard echoed == sent else {
            throw SingerError(
                "\(program) exited 0 but did not echo the final STATE (the sign it has loaded everything before it); "
                    + unchanged)
        }
    }

    private func tablesAfter(_ load: LoadSummary) -> [String: SingerStateStore.Table] {
        var tables = store.tables()
        for table in load.publications.flatMap(\.tables) {
            let before = tables[table.name]
            tables[table.name] = SingerStateStore.Table(
                columns: (before?.columns ?? []).adding(table.columns),
                rows: (before?.rows ?? 0) + (spooledRows[table.name] ?? 0))
        }
        return tables
    }

    func abort() { cleanUp() }

    private func cleanUp() {
        guard !finished else { return }
        finished = true
        for handle in handles.values { try? handle.close() }
        handles.removeAll()
        try? FileManager.default.removeItem(atPath: spool)
    }
}

/// What commit sends a target: per succeeded resource, each table's SCHEMA (its final columns)
/// and its spooled records, root tables first; then the pipeline's new state.
struct SingerFeed: Sendable {
    let publications: [ResourcePublication]
    let spool: String
    let state: SingerState

    func send(_ writer: LineWriter) throws(SingerError) {
        for publication in publications {
            for table in publication.tables {
                try writer.line(SingerMessages.schema(table, keyProperties: SingerMessages.keyProperties(table)))
                let path = spool + "/" + table.name + ".jsonl"
                if FileManager.default.fileExists(atPath: path) { try writer.copy(file: path) }
            }
        }
        try writer.line(SingerMessages.state(state.json))
        try writer.flush()
    }
}
