import CSQLite
import ConnectorKit
import Foundation

/// The SQLite steps of publishing (see `PublishPlan`): staged rows live in the attached `stg`
/// database, published rows in `main`. Unchecked Sendable: it is created and used only inside
/// one load session's `commit`, on that session's actor.
struct SQLitePublisher: PublishTarget, @unchecked Sendable {
    let connection: SQLiteConnection
    let pipeline: String
    let loadId: String

    func registeredTables(root: String) throws -> [String] {
        try connection.rows(
            "SELECT DISTINCT table_name FROM main.\(BookkeepingTable.schema) WHERE root_table = ?", [root]
        ).rows.compactMap { $0[0] }
    }

    func exists(_ table: String) throws -> Bool {
        try connection.scalar("SELECT count(*) FROM main.sqlite_master WHERE type = 'table' AND name = ?", [table])
            != "0"
    }

    func ensureTable(_ table: TableSchema, columns: [Column]) throws {
        if try !exists(table.name) {
            // Its index is built after the first rows arrive (`insertStaged`): one sort instead
            // of a b-tree insert per row.
            let defs = columns.map { "\(quoted($0.name)) \($0.type.sqliteType)" }.joined(separator: ", ")
            try connection.execute("CREATE TABLE main.\(quoted(table.name)) (\(defs))")
            return
        }
        let existing = Set(try mainColumns(table.name).map(\.name))
        for c in columns where !existing.contains(c.name) {
            try connection.execute(
                "ALTER TABLE main.\(quoted(table.name)) ADD COLUMN \(quoted(c.name)) \(c.type.sqliteType)")
        }
    }

    func deleteAll(_ table: String) throws {
        try connection.execute("DELETE FROM main.\(quoted(table))")
    }

    func deleteMerged(root: String, children: [String]) throws {
        // A first load has nothing to replace (children exist only under roots).
        guard try connection.scalar("SELECT EXISTS (SELECT 1 FROM main.\(quoted(root)))") == "1" else { return }
        let keys = "SELECT \(quoted(SystemColumn.id)) FROM stg.\(quoted(root))"
        try connection.execute("DELETE FROM main.\(quoted(root)) WHERE \(quoted(SystemColumn.id)) IN (\(keys))")
        for child in children {
            try connection.execute(
                "DELETE FROM main.\(quoted(child)) WHERE \(quoted(SystemColumn.rootId)) IN (\(keys))")
        }
    }

    func insertStaged(_ table: String, columns: [Column], keep: StagedSelection) throws -> Int? {
        if keep == .newestPerKey, try isEmpty(table), let inserted = try insertIfKeysUnique(table, columns: columns) {
            return inserted
        }
        let isRoot = columns.contains { $0.name == SystemColumn.rootId } == false
        if keep != .newestPerKey, isRoot { try allowRepeatedKeys(table) }
        var sql = try copyAll(table, columns: columns)
        if keep != .all {
            let names = columns.map { quoted($0.name) }.joined(separator: ", ")
            sql =
                "INSERT INTO main.\(quoted(table)) (\(names)) SELECT \(names) FROM stg.\(quoted(table))"
                + " WHERE rowid IN (\(newest(in: table, under: keep.winningRoot)))"
        }
        try connection.execute(sql)
        let inserted = connection.changes
        try ensureIndex(table, isRoot: isRoot)
        return inserted
    }

    /// Copies every staged row of `table`. With the same columns in the same order, SQLite copies
    /// the records as they are, without decoding them (its transfer optimization), when the table
    /// has no index yet — a first load, whose index is built after.
    private func copyAll(_ table: String, columns: [Column]) throws -> String {
        let names = columns.map(\.name)
        if try mainColumns(table).map(\.name) == names, try stagingColumnNames(table) == names {
            return "INSERT INTO main.\(quoted(table)) SELECT * FROM stg.\(quoted(table))"
        }
        let list = names.map(quoted).joined(separator: ", ")
        return "INSERT INTO main.\(quoted(table)) (\(list)) SELECT \(list) FROM stg.\(quoted(table))"
    }

    /// A merged root published into an empty table (a first load): usually every key was staged
    /// once, so every staged row is the newest of its key. All rows go in and the key index is
    /// built unique: the sort that builds it (needed anyway) finds a repeated key, so neither
    /// `newest(in:under:)`'s sort, the largest cost of publishing, nor a scan of the index
    /// checking for one is needed. When a key did repeat, the savepoint undoes both and nil sends
    /// the caller the general way. Later merges keep one row per key; a later load that may
    /// repeat keys (the resource turned to append or replace) first makes the index plain again
    /// (`allowRepeatedKeys`).
    private func insertIfKeysUnique(_ table: String, columns: [Column]) throws -> Int? {
        try connection.execute("SAVEPOINT publish_unique_keys")
        do {
            // An emptied table may have its index from earlier loads, plain: on no rows it costs
            // nothing to drop, and without it the copy takes SQLite's transfer optimization.
            try connection.execute("DROP INDEX IF EXISTS main.\(quoted(table + Self.rootIndexSuffix))")
            try connection.execute(try copyAll(table, columns: columns))
            let inserted = connection.changes
            let unique = try buildsUnique(indexSQL(table, isRoot: true, unique: true))
            try connection.execute(
                unique ? "RELEASE publish_unique_keys" : "ROLLBACK TO publish_unique_keys; RELEASE publish_unique_keys")
            return unique ? inserted : nil
        } catch {
            try? connection.execute("ROLLBACK TO publish_unique_keys; RELEASE publish_unique_keys")
            throw error
        }
    }

    /// Runs a CREATE UNIQUE INDEX: false when a key repeats, any other failure thrown.
    private func buildsUnique(_ sql: String) throws -> Bool {
        do {
            try connection.execute(sql)
            return true
        } catch {
            if error.code & 0xFF == SQLITE_CONSTRAINT { return false }
            throw error
        }
    }

    /// A root's key index built unique by `insertIfKeysUnique` is rebuilt plain before rows that
    /// may repeat a key are inserted (a resource whose write disposition changed from merge).
    private func allowRepeatedKeys(_ table: String) throws {
        let name = table + Self.rootIndexSuffix
        guard
            try connection.scalar(
                "SELECT \"unique\" FROM pragma_index_list(?, 'main') WHERE name = ?", [table, name]) == "1"
        else { return }
        try connection.execute("DROP INDEX main.\(quoted(name))")
        try ensureIndex(table, isRoot: true)
    }

    private func isEmpty(_ table: String) throws -> Bool {
        try connection.scalar("SELECT EXISTS (SELECT 1 FROM main.\(quoted(table)))") == "0"
    }

    /// Staged rowids of the newest row per `_connector_id`: the row of the latest item
    /// (`StagedItemRows`), then the latest staged; with `root`, only among rows of the item whose
    /// root row won.
    private func newest(in table: String, under root: String?) -> String {
        let id = quoted(SystemColumn.id), order = quoted(StagingColumn.itemOrder), row = StagedItemRows.row
        var from = "\(StagedItemRows.source(table)) c"
        if let root {
            from +=
                " JOIN (SELECT \(id) AS k, max(\(order)) AS o FROM \(StagedItemRows.source(root)) GROUP BY \(id)) w"
                + " ON w.k = c.\(quoted(SystemColumn.rootId)) AND w.o = c.\(order)"
        }
        return "SELECT r FROM (SELECT c.\(row) AS r, row_number() OVER (PARTITION BY c.\(id) "
            + "ORDER BY c.\(order) DESC, c.\(row) DESC) AS n FROM \(from)) WHERE n = 1"
    }

    func stagedRowCount(_ table: String) throws -> Int? {
        Int(try connection.scalar("SELECT count(*) FROM stg.\(quoted(table))") ?? "")
    }

    static let rootIndexSuffix = "__connector_id_idx"

    /// Roots are looked up by `_connector_id` (merge), children by `_connector_root_id`.
    private func ensureIndex(_ table: String, isRoot: Bool) throws {
        try connection.execute(indexSQL(table, isRoot: isRoot, unique: false))
    }

    private func indexSQL(_ table: String, isRoot: Bool, unique: Bool) -> String {
        let (suffix, column) =
            isRoot ? (Self.rootIndexSuffix, SystemColumn.id) : ("__connector_root_idx", SystemColumn.rootId)
        return "CREATE \(unique ? "UNIQUE " : "")INDEX IF NOT EXISTS main.\(quoted(table + suffix))"
            + " ON \(quoted(table)) (\(quoted(column)))"
    }

    /// Deletes root rows outside the retention rule, and the children of those rows.
    func applyRetention(_ rule: RetentionRule, root: String, children: [String]) throws {
        let t = "main.\(quoted(root))", c = quoted(rule.column)
        guard try mainColumns(root).contains(where: { $0.name == rule.column }) else { return }
        var conditions: [String] = []
        if let keep = rule.keepLast, keep > 0 {
            // Rows below the keep-th newest value go (nulls stay). With fewer values than that none
            // go, and one pass over the distinct values says so: no deletes scan the tables.
            let cutoff =
                "SELECT \(c) FROM (SELECT DISTINCT \(c) FROM \(t) WHERE \(c) IS NOT NULL ORDER BY \(c) DESC"
                + " LIMIT 1 OFFSET \(keep - 1))"
            if try connection.scalar("SELECT EXISTS (\(cutoff))") == "1" { conditions.append("\(c) < (\(cutoff))") }
        } else if rule.keepLast != nil {
            conditions.append("\(c) IS NOT NULL")
        }
        if let age = rule.maxAgeSeconds {
            conditions.append("\(c) < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-\(Int(age)) seconds')")
        }
        if conditions.isEmpty { return }
        let doomed = "SELECT \(quoted(SystemColumn.id)) FROM \(t) WHERE " + conditions.joined(separator: " OR ")
        for child in children {
            try connection.execute(
                "DELETE FROM main.\(quoted(child)) WHERE \(quoted(SystemColumn.rootId)) IN (\(doomed))")
        }
        try connection.execute("DELETE FROM \(t) WHERE " + conditions.joined(separator: " OR "))
    }

    func recordSchema(_ table: TableSchema) throws {
        try SQLiteBookkeeping.recordSchema(
            table, columns: try mainColumns(table.name), loadId: loadId, connection: connection)
    }

    func saveState(_ change: StateChange, resource: String) throws {
        try SQLiteBookkeeping.saveState(
            change, resource: resource, pipeline: pipeline, loadId: loadId,
            connection: connection)
    }

    /// Columns of a staged table (a resumed load's may be in another order than the published table's).
    private func stagingColumnNames(_ table: String) throws -> [String] {
        try connection.rows("SELECT name FROM pragma_table_info(?, 'stg')", [table]).rows.map { $0[0] ?? "" }
    }

    private func mainColumns(_ table: String) throws -> [Column] {
        try connection.rows("SELECT name, type FROM pragma_table_info(?, 'main')", [table]).rows.map { row in
            Column(name: row[0] ?? "", type: DataType.fromSQLite(row[1] ?? "TEXT"))
        }
    }
}

extension DataType {
    static func fromSQLite(_ declared: String) -> DataType {
        switch declared.uppercased() {
        case "INTEGER": return .bigint
        case "REAL": return .double
        case "DECIMAL_TEXT": return .decimal
        case "BOOLEAN": return .bool
        case "TIMESTAMP": return .timestamp
        case "JSON": return .json
        default: return .text
        }
    }
}
