import ConnectorKit
import PostgresNIO

/// The key indexes of the staged tables a first load moves into the dataset (`moveStaged`), built
/// before the publish's transaction on two connections at once. On a first load they are most of
/// the publish's work, and inside its transaction they would run one after another on one server
/// process while the run waits (scale 20: ~150 ms of the last pipeline's ~220 ms publish). Built on
/// the staged tables, they move with them, named so that they cannot clash there
/// (`PostgresSQL.keyIndexName`). A process killed before its publish leaves them in staging; the
/// load resuming it drops them first (`dropAll`), as it may stage more rows, and a newer row of a
/// staged key would break a unique index.
/// A merged root's index is built unique: whether it could be tells the publish whether a key
/// repeats (`PostgresPublisher.keysUnique`), as `moveStagedIfKeysUnique` would inside it.
struct PostgresKeyIndexes {
    let dataset: String
    let staging: String

    /// A staged table's key index: on `_connector_id` for roots, `_connector_root_id` for children.
    struct Planned: Sendable {
        var table: String
        var column: String
        var unique: Bool
    }

    /// What the publish may rely on.
    struct Outcome: Sendable {
        /// Staged tables that have their key index.
        var indexed: Set<String> = []
        /// Merged roots whose keys were found unique (true) or repeated (false).
        var keysUnique: [String: Bool] = [:]
    }

    /// The key indexes the staged publish-ready tables of `publications` lack, when the dataset does
    /// not have the table yet (only then is it moved).
    static func planned(
        _ publications: [ResourcePublication], publishReady: Set<String>, staged: [String: [Column]]
    ) -> [Planned] {
        var out: [Planned] = []
        for publication in publications {
            let mergedRoots = Set(publication.roots.filter { $0.disposition == .merge }.map(\.name))
            for table in publication.tables where publishReady.contains(table.name) && staged[table.name] != nil {
                let merged = table.disposition == .merge || mergedRoots.contains(table.root)
                out.append(
                    Planned(
                        table: table.name, column: table.isRoot ? SystemColumn.id : SystemColumn.rootId,
                        unique: table.isRoot && merged))
            }
        }
        return out
    }

    /// Builds the planned indexes not built yet, largest table first, each connection taking the next.
    func build(_ planned: [Planned], on connections: [PostgresConnection]) async throws -> Outcome {
        guard let first = connections.first, !planned.isEmpty else { return Outcome() }
        let found = try await catalog(first)
        var outcome = Outcome()
        var todo: [(Planned, Int)] = []
        for p in planned {
            guard let entry = found[PostgresSQL.identifier(p.table)], !entry.published else { continue }
            if let unique = entry.indexes[PostgresSQL.identifier(p.column)] {
                outcome.indexed.insert(p.table)
                if p.unique, unique { outcome.keysUnique[p.table] = true }
            } else {
                todo.append((p, entry.size))
            }
        }
        let queue = LockedBox(todo.sorted { $0.1 > $1.1 }.map(\.0))
        let results = try await withThrowingTaskGroup(of: [(Planned, Bool)].self) { group in
            for (n, connection) in connections.enumerated() {
                group.addTask {
                    var done: [(Planned, Bool)] = []
                    while !Task.isCancelled, let next = queue.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) {
                        do {
                            done.append((next, try await self.build(next, connection)))
                        } catch  where n > 0 {
                            // The helper's failure leaves its index to the publish, which builds what is missing.
                            return done
                        }
                    }
                    return done
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        for (p, built) in results {
            if built { outcome.indexed.insert(p.table) }
            if p.unique { outcome.keysUnique[p.table] = built }
        }
        return outcome
    }

    /// Builds one index; false when a unique one found a repeated key (nothing is left behind then).
    func build(_ p: Planned, _ connection: PostgresConnection) async throws -> Bool {
        let sql = Self.createSQL(p, staging: staging)
        if p.unique { return try await connection.buildsUnique(sql) }
        try await connection.run(sql)
        return true
    }

    /// The statement building `p` on its staged table, under its own name (`PostgresSQL.keyIndexName`).
    static func createSQL(_ p: Planned, staging: String) -> String {
        let table = "\(PostgresSQL.quoted(staging)).\(PostgresSQL.quoted(p.table))"
        let name = PostgresSQL.quoted(PostgresSQL.keyIndexName(p.table))
        return "CREATE \(p.unique ? "UNIQUE " : "")INDEX \(name) ON \(table) (\(PostgresSQL.quoted(p.column)))"
    }

    /// Drops the key index built in staging for `table`, if any.
    func drop(_ table: String, _ connection: PostgresConnection) async throws {
        let name = PostgresSQL.quoted(PostgresSQL.keyIndexName(table))
        try await connection.run("DROP INDEX IF EXISTS \(PostgresSQL.quoted(staging)).\(name)")
    }

    /// Drops the key indexes built in staging for a publish that never came (a load being resumed).
    func dropAll(_ connection: PostgresConnection) async throws {
        var b = PostgresBindings()
        b.append(staging)
        let names = try await connection.rows(
            "SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexname LIKE '\\_connector\\_key\\_%'", b
        ).rows.compactMap { $0.first ?? nil }
        for name in names {
            try await connection.run("DROP INDEX \(PostgresSQL.quoted(staging)).\(PostgresSQL.quoted(name))")
        }
    }

    /// Per staged table (its name in the catalog): its size, whether the dataset has a table of
    /// that name, and its one-column indexes (column → unique).
    private func catalog(_ connection: PostgresConnection) async throws -> [String: CatalogEntry] {
        var b = PostgresBindings()
        b.append(staging); b.append(dataset)
        let rows = try await connection.rows(
            """
            SELECT c.relname, pg_relation_size(c.oid),
              EXISTS (SELECT 1 FROM pg_class d JOIN pg_namespace dn ON dn.oid = d.relnamespace
                      WHERE dn.nspname = $2 AND d.relname = c.relname AND d.relkind IN ('r', 'p', 'v', 'f')),
              a.attname, i.indisunique
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indnatts = 1
            LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
            WHERE n.nspname = $1 AND c.relkind = 'r'
            """, b
        ).rows
        var out: [String: CatalogEntry] = [:]
        for row in rows {
            guard let name = row[0] else { continue }
            var entry =
                out[name]
                ?? CatalogEntry(size: Int(row[1] ?? "") ?? 0, published: row[2] == "true", indexes: [:])
            if let column = row[3] { entry.indexes[column] = (entry.indexes[column] ?? false) || row[4] == "true" }
            out[name] = entry
        }
        return out
    }

    private struct CatalogEntry {
        var size: Int
        var published: Bool
        var indexes: [String: Bool]
    }
}
