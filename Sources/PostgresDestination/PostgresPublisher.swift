import ConnectorKit
import PostgresNIO

/// The PostgreSQL steps of publishing (see `PublishPlan`): staged rows live in tables of
/// `<dataset>_staging` (`PostgresStagingTable`), published rows in `<dataset>`. A table this
/// publish creates is filled by moving its publish-ready staged table in (`moveStaged`).
struct PostgresPublisher: PublishTarget {
    let connection: PostgresConnection
    let dataset: String
    let staging: String
    let pipeline: String
    let loadId: String
    /// Staged tables in publish-ready form.
    let publishReady: Set<String>
    /// What this publish learned so far (the steps of `PublishPlan` share it).
    let ledger = LockedBox(PostgresPublishLedger())

    var ds: String { PostgresSQL.quoted(dataset) }
    func main(_ t: String) -> String { "\(ds).\(PostgresSQL.quoted(t))" }
    func stg(_ t: String) -> String { "\(PostgresSQL.quoted(staging)).\(PostgresSQL.quoted(t))" }
    var id: String { PostgresSQL.quoted(SystemColumn.id) }

    func registeredTables(root: String) async throws -> [String] {
        var b = PostgresBindings()
        b.append(root)
        let recorded = try await connection.rows(
            "SELECT DISTINCT table_name FROM \(ds).\(BookkeepingTable.schema) WHERE root_table = $1", b
        )
        .rows.compactMap { $0.first ?? nil }
        // With those this publish records at its end (`recordSchemas`).
        let new = ledger.withLock { $0.newSchemas.filter { $0.table.root == root }.map(\.table.name) }
        return Array(Set(recorded + new))
    }

    func exists(_ table: String) async throws -> Bool {
        if isPending(table) { return true }
        let name = PostgresSQL.identifier(table)
        if let known = ledger.withLock({ $0.tables }) { return known.contains(name) }
        return try await datasetTables().contains(name)
    }

    /// The dataset's tables (names as the catalog spells them), asked once per publish: the
    /// publish holds its resources' locks, and records the tables it creates or moves in itself.
    private func datasetTables() async throws -> Set<String> {
        var b = PostgresBindings()
        b.append(dataset)
        // The catalog itself: information_schema's views cost about a millisecond a question.
        let names = Set(
            try await connection.rows(
                """
                SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'f')
                """, b
            ).rows.compactMap { $0.first ?? nil })
        ledger.withLock { $0.tables = names }
        return names
    }

    func ensureTable(_ table: TableSchema, columns: [Column]) async throws {
        if table.disposition == .merge { ledger.withLock { _ = $0.merged.insert(table.name) } }
        if try await !exists(table.name) {
            let pending = PendingTable(
                columns: columns, index: table.isRoot ? SystemColumn.id : SystemColumn.rootId, root: table.root)
            // Created when its rows go in: by moving its staged table in, if that may be (`moveStaged`).
            if publishReady.contains(table.name) {
                ledger.withLock { $0.pending[table.name] = pending }
            } else {
                try await create(table.name, pending)
            }
            return
        }
        let existing = Set(try await mainColumns(table.name).map(\.0))
        for c in columns where !existing.contains(PostgresSQL.identifier(c.name)) {
            try await connection.run(
                "ALTER TABLE \(main(table.name)) ADD COLUMN \(PostgresSQL.quoted(c.name)) \(PostgresSQL.type(c.type))")
        }
    }

    func deleteAll(_ table: String) async throws {
        guard !isPending(table) else { return }
        try await connection.run("DELETE FROM \(main(table))")
    }

    func deleteMerged(root: String, children: [String]) async throws {
        // A first load has nothing to replace (children exist only under roots).
        guard try await !isEmpty(root) else { return }
        let keys = "SELECT \(id) FROM \(stg(root))"
        try await connection.run("DELETE FROM \(main(root)) WHERE \(id) IN (\(keys))")
        for child in children where !isPending(child) {
            try await connection.run(
                "DELETE FROM \(main(child)) WHERE \(PostgresSQL.quoted(SystemColumn.rootId)) IN (\(keys))")
        }
    }

    /// Staged rows whose keys do not repeat are all published, without sorting them: moved, when
    /// this publish created the table (`moveStaged`), or copied.
    func insertStaged(_ table: String, columns: [Column], keep: StagedSelection) async throws -> Int? {
        if keep == .newestPerKey, try await moveStagedIfKeysUnique(table) { return nil }
        let all = try await keepsAll(table, keep)
        if all, try await moveStaged(table) { return nil }
        if keep != .newestPerKey, !columns.contains(where: { $0.name == SystemColumn.rootId }) {
            try await allowRepeatedKeys(table)
        }
        if let pending = ledger.withLock({ $0.pending.removeValue(forKey: table) }) { try await create(table, pending) }
        let names = columns.map { PostgresSQL.quoted($0.name) }.joined(separator: ", ")
        let values = columns.map(PostgresSQL.cast).joined(separator: ", ")
        let source = all ? stg(table) : newest(in: table, under: keep.winningRoot)
        try await connection.run("INSERT INTO \(main(table)) (\(names)) SELECT \(values) FROM \(source)")
        return nil  // children of merged roots are de-duplicated as well
    }

    /// The newest staged row per `_connector_id` (latest item order, then latest staged); with
    /// `root`, only among rows of the item whose root row won.
    private func newest(in table: String, under root: String?) -> String {
        let order = PostgresSQL.quoted(StagingColumn.itemOrder)
        var from = "\(stg(table)) c"
        if let root {
            from +=
                " JOIN (SELECT \(id) AS k, max(\(order)) AS o FROM \(stg(root)) GROUP BY \(id)) w"
                + " ON w.k = c.\(PostgresSQL.quoted(SystemColumn.rootId)) AND w.o = c.\(order)"
        }
        let seq = PostgresStagingTable.seq
        return "(SELECT DISTINCT ON (c.\(id)) c.* FROM \(from) ORDER BY c.\(id), c.\(order) DESC, c.\(seq) DESC) s"
    }

    func stagedRowCount(_ table: String) async throws -> Int? { nil }

    func applyRetention(_ rule: RetentionRule, root: String, children: [String]) async throws {
        guard try await mainColumns(root).contains(where: { $0.0 == PostgresSQL.identifier(rule.column) }) else {
            return
        }
        let t = main(root), c = PostgresSQL.quoted(rule.column)
        var conditions: [String] = []
        if let keep = rule.keepLast, keep > 0 {
            // Rows below the keep-th newest value go (nulls stay). With fewer values than that none
            // go, and one pass over the distinct values says so: no deletes scan the tables.
            let cutoff =
                "SELECT \(c) FROM (SELECT DISTINCT \(c) FROM \(t) WHERE \(c) IS NOT NULL ORDER BY \(c) DESC"
                + " LIMIT 1 OFFSET \(keep - 1)) AS cutoff"
            if try await connection.rows("SELECT EXISTS (\(cutoff))").rows.first?.first == "true" {
                conditions.append("\(c) < (\(cutoff))")
            }
        } else if rule.keepLast != nil {
            conditions.append("\(c) IS NOT NULL")
        }
        if let age = rule.maxAgeSeconds {
            conditions.append("\(c)::timestamptz < now() - interval '\(Int(age)) seconds'")
        }
        if conditions.isEmpty { return }
        let doomed = "SELECT \(id) FROM \(t) WHERE " + conditions.joined(separator: " OR ")
        for child in children {
            try await connection.run(
                "DELETE FROM \(main(child)) WHERE \(PostgresSQL.quoted(SystemColumn.rootId)) IN (\(doomed))")
        }
        try await connection.run("DELETE FROM \(t) WHERE " + conditions.joined(separator: " OR "))
    }

    /// Records the published table's full column list (not only this run's), so later runs
    /// keep every column's type.
    func recordSchema(_ table: TableSchema) async throws {
        let physical = try await physicalTypes(table.name)
        let latest = try await latestSchema(table.name)
        let previous = latest.flatMap { try? JSONDecoder().decode([Column].self, from: Data($0.columns.utf8)) } ?? []
        // Logical names come from the staged schema and earlier versions; types from the table.
        var columns: [Column] = []
        var seen = Set<String>()
        for c in previous + table.columns where seen.insert(c.name).inserted {
            guard let type = physical[PostgresSQL.identifier(c.name)] else { continue }
            columns.append(Column(name: c.name, type: type ?? c.type))
        }
        guard let version = PostgresBookkeeping.schemaVersion(table, columns: columns, latest: latest) else { return }
        ledger.withLock {
            $0.schemas?[table.name] = (version.version, version.columns)
            $0.newSchemas.append(version)
        }
    }

    /// Records the schema versions this publish made (`recordSchema`), in one statement.
    func recordSchemas() async throws {
        let versions = ledger.withLock { ledger in
            defer { ledger.newSchemas.removeAll() }
            return ledger.newSchemas
        }
        try await PostgresBookkeeping.recordSchemas(versions, loadId: loadId, connection, dataset: dataset)
    }

    /// The table's latest recorded schema version, from every table's read once per publish (its
    /// resources' locks keep other publishes from recording theirs meanwhile).
    private func latestSchema(_ table: String) async throws -> (version: Int, columns: String)? {
        if let known = ledger.withLock({ $0.schemas }) { return known[table] }
        let all = try await PostgresBookkeeping.latestSchemas(connection, dataset: dataset)
        ledger.withLock { $0.schemas = all }
        return all[table]
    }

    /// The published table's columns (physical name → type; nil for a type no `DataType` has). A
    /// table moved in from staging has the staged columns with their published types: not asked.
    private func physicalTypes(_ table: String) async throws -> [String: DataType?] {
        if let moved = ledger.withLock({ $0.moved[table] }) {
            return Dictionary(moved.map { (PostgresSQL.identifier($0.name), $0.type) }, uniquingKeysWith: { a, _ in a })
        }
        let known: [String: DataType] = [
            "bigint": .bigint, "double precision": .double, "numeric": .decimal,
            "boolean": .bool, "text": .text,
            "timestamp with time zone": .timestamp, "jsonb": .json,
        ]
        return Dictionary(try await mainColumns(table).map { ($0.0, known[$0.1]) }, uniquingKeysWith: { a, _ in a })
    }

    func saveState(_ change: StateChange, resource: String) async throws {
        try await PostgresBookkeeping.saveState(
            change, resource: resource, pipeline: pipeline, loadId: loadId,
            connection, dataset: dataset)
    }

    /// (physical name, type as PostgreSQL spells it)
    func mainColumns(_ table: String) async throws -> [(String, String)] {
        var b = PostgresBindings()
        b.append(main(table))
        // format_type spells these types as information_schema's data_type does.
        return try await connection.rows(
            """
            SELECT attname, format_type(atttypid, NULL) FROM pg_attribute
            WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped ORDER BY attnum
            """, b
        ).rows.compactMap { row in row[0].map { ($0, row[1] ?? "text") } }
    }
}

import Foundation
