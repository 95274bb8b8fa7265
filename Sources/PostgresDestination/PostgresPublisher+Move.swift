import ConnectorKit
import PostgresNIO

/// A published table this publish creates once its rows go in.
struct PendingTable: Sendable {
    var columns: [Column]
    /// The column its index is on.
    var index: String
    /// Its root table, whose collation its id columns take (`PostgresIDCollation`).
    var root: String
}

/// What one publish learned so far, shared by the steps of `PublishPlan`.
struct PostgresPublishLedger: Sendable {
    /// Tables to create, with publish-ready staged tables: until their rows go in, they count
    /// as existing and empty.
    var pending: [String: PendingTable] = [:]
    /// Tables this publish created (empty until their rows go in).
    var created: Set<String> = []
    /// Tables of merged resources.
    var merged: Set<String> = []
    /// Per merged root, whether no `_connector_id` repeats among its staged rows.
    var keysUnique: [String: Bool] = [:]
    /// Staged tables whose key index is built (before publishing, `PostgresKeyIndexes`, or by
    /// `moveStagedIfKeysUnique`): moving them in builds none.
    var indexed: Set<String> = []
    /// The dataset's tables as the catalog names them, once asked (`PostgresPublisher.exists`),
    /// with those this publish created or moved in.
    var tables: Set<String>?
    /// Tables moved in from staging, with their columns (their types as staging gave them).
    var moved: [String: [Column]] = [:]
    /// Each table's latest recorded schema version (number, columns), once asked, with those this
    /// publish records.
    var schemas: [String: (version: Int, columns: String)]?
    /// Schema versions to record at the publish's end (`PostgresPublisher.recordSchemas`).
    var newSchemas: [PostgresBookkeeping.SchemaVersion] = []
}

/// A first load's fast way: instead of creating the table and copying its staged rows into it (an
/// `INSERT … SELECT` writing every row again, the largest cost of publishing), the publish-ready
/// staged table (`PostgresStagingTable`) becomes the published table. It has the columns the
/// created table would have, with the same types, plus, for merged tables, the staging columns,
/// which are dropped (`ALTER TABLE … DROP COLUMN` only marks them dropped). This happens in the load's
/// transaction: a failed or killed run leaves the dataset and its staging as they were.
extension PostgresPublisher {
    /// Whether every staged row of `table` is published: `keep` selects all rows, or the keys
    /// of the table's root do not repeat, so that every staged row is the newest of its key.
    func keepsAll(_ table: String, _ keep: StagedSelection) async throws -> Bool {
        switch keep {
        case .all: return true
        case .newestPerKey: return try await keysUnique(table)
        case .newestUnderWinningRoot(let root): return try await keysUnique(root)
        }
    }

    /// Moves the staged table of a table still to be created into the dataset. Returns false,
    /// having changed nothing, for any other table.
    func moveStaged(_ table: String) async throws -> Bool {
        let state = ledger.withLock { $0 }
        guard publishReady.contains(table), let column = state.pending[table]?.index else { return false }
        try await connection.run("ALTER TABLE \(stg(table)) SET SCHEMA \(ds)")
        if state.merged.contains(table) {
            try await connection.run(
                "ALTER TABLE \(main(table)) DROP COLUMN \(PostgresSQL.quoted(StagingColumn.itemOrder)), "
                    + "DROP COLUMN \(PostgresStagingTable.seq)")
        }
        if !state.indexed.contains(table) {
            try await connection.run("CREATE INDEX ON \(main(table)) (\(PostgresSQL.quoted(column)))")
        }
        ledger.withLock {
            $0.moved[table] = $0.pending.removeValue(forKey: table)?.columns
            $0.tables?.insert(PostgresSQL.identifier(table))
        }
        return true
    }

    /// A merged root this publish creates from its publish-ready staged table: its key index is
    /// built unique on the staged table first. The sort that builds it (needed anyway) finds a
    /// repeated key, so no `GROUP BY` pass over the staged rows asks first (`keysUnique`); when a key
    /// did repeat, a savepoint undoes the index and the caller takes the general way. Later merges
    /// keep one row per key; a later load that may repeat keys first makes the index plain again
    /// (`allowRepeatedKeys`). Returns whether the table moved.
    func moveStagedIfKeysUnique(_ table: String) async throws -> Bool {
        let state = ledger.withLock { $0 }
        guard publishReady.contains(table), state.pending[table] != nil, state.keysUnique[table] == nil,
            !state.indexed.contains(table)
        else {
            return false
        }
        try await connection.run("SAVEPOINT publish_unique_keys")
        let index = PostgresKeyIndexes.Planned(table: table, column: SystemColumn.id, unique: true)
        let unique = try await connection.buildsUnique(PostgresKeyIndexes.createSQL(index, staging: staging))
        try await connection.run(unique ? "RELEASE publish_unique_keys" : "ROLLBACK TO publish_unique_keys")
        ledger.withLock {
            $0.keysUnique[table] = unique
            if unique { $0.indexed.insert(table) }
        }
        return unique ? try await moveStaged(table) : false
    }

    /// A root's key index built unique by `moveStagedIfKeysUnique` is rebuilt plain before rows that
    /// may repeat a key are inserted (a resource whose write disposition changed from merge).
    func allowRepeatedKeys(_ table: String) async throws {
        guard !ledger.withLock({ $0.pending[table] != nil || $0.created.contains(table) }) else { return }
        var b = PostgresBindings()
        b.append(main(table)); b.append(PostgresSQL.identifier(SystemColumn.id))
        let unique = try await connection.rows(
            """
            SELECT i.indexrelid::regclass::text FROM pg_index i
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
            WHERE i.indrelid = to_regclass($1) AND i.indisunique AND i.indnatts = 1 AND a.attname = $2
            """, b
        ).rows.compactMap { $0.first ?? nil }
        for index in unique {
            try await connection.run("DROP INDEX \(index)")
            try await connection.run("CREATE INDEX ON \(main(table)) (\(id))")
        }
    }

    /// Creates an empty published table with its index.
    func create(_ table: String, _ pending: PendingTable) async throws {
        let clause = try await PostgresIDCollation.clause(
            root: pending.root, dataset: dataset, staging: staging, connection)
        let defs = pending.columns.map {
            PostgresIDCollation.definition($0, type: PostgresSQL.type($0.type), clause: clause)
        }
        try await connection.run("CREATE TABLE \(main(table)) (\(defs.joined(separator: ", ")))")
        try await connection.run("CREATE INDEX ON \(main(table)) (\(PostgresSQL.quoted(pending.index)))")
        ledger.withLock {
            $0.created.insert(table)
            $0.tables?.insert(PostgresSQL.identifier(table))
        }
    }

    func isPending(_ table: String) -> Bool { ledger.withLock { $0.pending[table] != nil } }

    /// Whether no `_connector_id` repeats among the staged rows of `root` (asked once per publish:
    /// its children ask too, after the root may have moved).
    func keysUnique(_ root: String) async throws -> Bool {
        if let known = ledger.withLock({ $0.keysUnique[root] }) { return known }
        let unique =
            try await connection.rows(
                "SELECT NOT EXISTS (SELECT 1 FROM \(stg(root)) GROUP BY \(id) HAVING count(*) > 1)"
            ).rows.first?.first == "true"
        ledger.withLock { $0.keysUnique[root] = unique }
        return unique
    }

    /// Whether the published table has no rows (one this publish created has none yet).
    func isEmpty(_ table: String) async throws -> Bool {
        if ledger.withLock({ $0.pending[table] != nil || $0.created.contains(table) }) { return true }
        return try await connection.rows("SELECT NOT EXISTS (SELECT 1 FROM \(main(table)))").rows.first?.first
            == "true"
    }
}
