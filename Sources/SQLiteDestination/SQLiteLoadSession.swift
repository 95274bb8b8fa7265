import ConnectorKit
import Foundation

/// One load into a SQLite file. Rows are staged in a separate scratch database attached as
/// `stg`; `commit` moves the succeeded resources' rows into the main file together with their
/// state and the load record, in one transaction. A crash at any point leaves the main file
/// as it was (WAL journal). The scratch database keeps, with each batch of rows, where every
/// resource stood (`SQLiteResumeStore`), so the next run of the same pipeline continues an
/// interrupted load instead of starting over; a lock file keeps two runs from sharing it.
actor SQLiteLoadSession: LoadSession {
    let connection: SQLiteConnection
    let pipeline: String
    private(set) var loadId: String
    let stagingPath: String
    let lock: FileLock
    private var stagedColumns: [String: [Column]] = [:]
    /// Statements on the scratch database (`cachedStatement`) …
    private var inserts: [String: SQLiteStatement] = [:]
    /// … and the row inserts of its staged tables, by table: both go together (`forgetStatements`).
    private var stagingInserts: [String: StagingInsert] = [:]
    /// The current write's rowid runs per work item (`StagedItemRows`), saved with its checkpoint.
    private var itemRows = StagedItemRows()
    private var prepared = false
    /// Set once the session ended; `SimulatedCrash` sets it too.
    var finished = false

    init(path: String, pipeline: String, loadId: String) throws {
        self.pipeline = pipeline
        self.loadId = loadId
        stagingPath = path + ".staging"
        lock = try FileLock(path: path + ".lock", purpose: "pipeline '\(pipeline)'")
        connection = try SQLiteConnection(path: path)
        try connection.execute("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")
        try Self.attachStaging(connection, stagingPath)
        try SQLiteBookkeeping.create(connection)
    }

    /// Page cache of the scratch database, in KiB (SQLite's default is 2,000). Staging only
    /// appends and publishing scans it once, so a large cache buys nothing; at scale 100 the
    /// default cost ~10 MB of peak RSS across the three pipelines' sessions (median of 14 runs).
    static let stagingCacheKiB = 256

    /// The scratch database keeps a rollback journal without syncing: a killed process leaves
    /// it consistent (the journal undoes a half-written batch), a power cut may not — then the
    /// load simply starts over.
    static func attachStaging(_ connection: SQLiteConnection, _ path: String) throws {
        try connection.execute("ATTACH DATABASE '\(path.replacingOccurrences(of: "'", with: "''"))' AS stg")
        try connection.execute("PRAGMA stg.journal_mode = TRUNCATE; PRAGMA stg.synchronous = OFF;")
        try connection.execute("PRAGMA stg.cache_size = -\(stagingCacheKiB)")
    }

    func prepareStaging(fingerprint: String) throws -> ResumePoint? {
        prepared = true
        let store = SQLiteResumeStore(connection: connection)
        if let staged = try store.stagedLoad(), staged.pipeline == pipeline, staged.fingerprint == fingerprint,
            try connection.scalar(
                "SELECT count(*) FROM main.\(BookkeepingTable.loads) WHERE load_id = ?", [staged.loadId]) == "0"
        {
            loadId = staged.loadId
            stagedColumns = try store.stagedTables()
            return try store.resumePoint(loadId: staged.loadId)
        }
        try emptyStaging()
        try store.begin(loadId: loadId, pipeline: pipeline, fingerprint: fingerprint)
        return nil
    }

    private func emptyStaging() throws {
        forgetStatements()
        stagedColumns.removeAll()
        try connection.execute("DETACH DATABASE stg")
        for suffix in ["", "-journal", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: stagingPath + suffix)
        }
        try Self.attachStaging(connection, stagingPath)
    }

    func existingTables() throws -> [String: [Column]] {
        let r = try connection.rows(
            "SELECT s.table_name, s.columns FROM main.\(BookkeepingTable.schema) s WHERE s.version = (SELECT max(version) FROM main.\(BookkeepingTable.schema) v WHERE v.table_name = s.table_name)"
        )
        var out: [String: [Column]] = [:]
        for row in r.rows {
            guard let name = row[0], let json = row[1],
                let columns = try? JSONDecoder().decode([Column].self, from: Data(json.utf8))
            else { continue }
            out[name] = columns
        }
        return out
    }

    func state(resource: String) throws -> ResourceState {
        let r = try connection.rows(
            "SELECT key, value FROM \(BookkeepingTable.state) WHERE pipeline = ? AND resource = ?",
            [pipeline, resource])
        return StateEncoding.decode(rows: r.rows)
    }

    func saveState(_ change: StateChange, resource: String) throws {
        try connection.execute("BEGIN IMMEDIATE")
        do {
            try SQLiteBookkeeping.saveState(
                change, resource: resource, pipeline: pipeline, loadId: loadId,
                connection: connection)
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    func write(_ batches: [StagedBatch], checkpoint: Checkpoint) throws {
        itemRows.discard()
        // What the write learns of the staged tables holds once it commits: a rollback takes back
        // the tables it created or widened, and the session must not go on believing in them.
        let known = (stagedColumns, stagingInserts)
        do {
            try transaction {
                for indices in Self.byTable(batches) { try stage(batches, at: indices) }
                try itemRows.save(with: try cachedStatement(StagedItemRows.insertSQL))
                try SQLiteResumeStore(connection: connection).save(checkpoint)
            }
        } catch {
            (stagedColumns, stagingInserts) = known
            throw error
        }
    }

    /// Finalizes every statement on the scratch database: before it is detached, and when the
    /// session ends.
    func forgetStatements() {
        inserts.removeAll()
        stagingInserts.removeAll()
    }

    /// A statement on the scratch database, prepared once per attachment (`forgetStatements`
    /// empties the cache whenever `stg` is detached).
    private func cachedStatement(_ sql: String) throws -> SQLiteStatement {
        if let s = inserts[sql] { return s }
        let s = try connection.prepare(sql)
        inserts[sql] = s
        return s
    }

    private func transaction(_ body: () throws -> Void) throws {
        if !prepared { _ = try prepareStaging(fingerprint: "") }
        try connection.execute("BEGIN")
        do {
            try body()
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// Where each table's batches are in `batches`, tables in the order they first appear.
    static func byTable(_ batches: [StagedBatch]) -> [[Int]] {
        var groups: [[Int]] = []
        var index: [String: Int] = [:]
        batches.withUnsafeBufferPointer { all in  // read in place, not a copy of each batch
            for i in all.indices {
                if let g = index[all[i].rows.table.name] {
                    groups[g].append(i)
                } else {
                    index[all[i].rows.table.name] = groups.count
                    groups.append([i])
                }
            }
        }
        return groups
    }

    /// Stages one table's batches (`indices` into `batches`) in one insert stream, every batch's
    /// columns added to the staged table first. Merged tables note which rows came from which work
    /// item (`StagedItemRows`): the stream's rows have consecutive rowids, in the batches' order.
    private func stage(_ batches: [StagedBatch], at indices: [Int]) throws {
        guard let first = indices.first else { return }
        let table = batches[first].rows.table
        var checked: [Column] = []  // batches of a resource share their column array until one is added
        for i in indices {
            let columns = batches[i].rows.table.columns
            if columns == checked || stagingInserts[table.name]?.knows(columns) == true { continue }
            try ensureStaging(batches[i].rows.table)
            checked = columns
        }
        let total = try stagingInsert(for: table).insert(batches, at: indices)
        guard table.disposition == .merge, total > 0 else { return }
        var row = connection.lastInsertRowid - Int64(total) + 1
        itemRows.add(table.name) { add in
            for i in indices where batches[i].rows.count > 0 {
                let count = Int64(batches[i].rows.count)
                add(row, row + count - 1, batches[i].itemOrder)
                row += count
            }
        }
    }

    /// The insert of `table`'s staged rows. A resource's pages carry the same columns until one is
    /// added, so most pages find an insert that has taken their columns before and skip the
    /// staged table's check (a page per parent record, at a few rows each, makes this per row).
    private func stagingInsert(for table: TableSchema) throws -> StagingInsert {
        if let known = stagingInserts[table.name], known.knows(table.columns) { return known }
        try ensureStaging(table)
        if let s = stagingInserts[table.name] { return s }
        let s = StagingInsert(connection: connection, table: table.name, columns: stagedColumns[table.name] ?? [])
        stagingInserts[table.name] = s
        return s
    }

    private func ensureStaging(_ table: TableSchema) throws {
        guard let existing = stagedColumns[table.name] else {
            let columns = table.columns.map { "\(quoted($0.name)) \($0.type.sqliteType)" }
            try connection.execute("CREATE TABLE stg.\(quoted(table.name)) (\(columns.joined(separator: ", ")))")
            stagedColumns[table.name] = table.columns
            return
        }
        if StagingInsert.isPrefix(table.columns, of: existing) { return }
        let missing = table.columns.filter { c in !existing.contains { $0.name == c.name } }
        guard !missing.isEmpty else { return }
        for c in missing {
            try connection.execute(
                "ALTER TABLE stg.\(quoted(table.name)) ADD COLUMN \(quoted(c.name)) \(c.type.sqliteType)")
        }
        stagedColumns[table.name] = existing + missing
        stagingInserts[table.name] = nil
    }

    func commit(_ load: LoadSummary) async throws {
        forgetStatements()
        try connection.execute("BEGIN IMMEDIATE")
        do {
            let publisher = SQLitePublisher(connection: connection, pipeline: pipeline, loadId: loadId)
            for publication in load.publications {
                try await PublishPlan.publish(publication, staged: stagedColumns, into: publisher)
            }
            try SQLiteBookkeeping.record(load, connection: connection)
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
        cleanUp()
    }

    func abort() {
        forgetStatements()
        cleanUp()
    }

    private func cleanUp() {
        guard !finished else { return }
        finished = true
        try? connection.execute("DETACH DATABASE stg")
        for suffix in ["", "-journal", "-wal", "-shm"] {
            try? FileManager.default.removeItem(atPath: stagingPath + suffix)
        }
        lock.release()
    }
}
