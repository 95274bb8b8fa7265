import ConnectorKit
import PostgresNIO

/// Moves one resource's staged rows into the dataset by its write disposition, inside the
/// load's transaction: append inserts; replace deletes then inserts (readers keep seeing the
/// old rows until commit); merge deletes the keys being loaded (and those parents' children)
/// and inserts the newest staged row per key.
struct PostgresPublisher {
    let connection: PostgresConnection
    let dataset: String
    let staging: String
    let pipeline: String
    let loadId: String
    let staged: [String: [Column]]

    var ds: String { PostgresSQL.quoted(dataset) }
    func main(_ t: String) -> String { "\(ds).\(PostgresSQL.quoted(t))" }
    func stg(_ t: String) -> String { "\(PostgresSQL.quoted(staging)).\(PostgresSQL.quoted(t))" }

    func publish(_ outcome: ResourceOutcome) async throws {
        for root in outcome.roots {
            let tables = outcome.tables.filter { $0.root == root.name }
            for table in tables where staged[table.name] != nil { try await ensureMainTable(table) }
            var family = Set(try await registeredTables(root: root.name) + tables.map(\.name))
            for t in family where try await !exists(t) { family.remove(t) }
            let children = family.filter { $0 != root.name }.sorted()
            let id = PostgresSQL.quoted(SystemColumn.id)
            switch root.disposition {
            case .append: break
            case .replace:
                for t in family.sorted() { try await connection.run("DELETE FROM \(main(t))") }
            case .merge:
                if staged[root.name] != nil, family.contains(root.name) {
                    let keys = "SELECT \(id) FROM \(stg(root.name))"
                    try await connection.run("DELETE FROM \(main(root.name)) WHERE \(id) IN (\(keys))")
                    for child in children {
                        try await connection.run("DELETE FROM \(main(child)) WHERE \(PostgresSQL.quoted(SystemColumn.rootId)) IN (\(keys))")
                    }
                }
            }
            for table in tables {
                guard let columns = staged[table.name] else { continue }
                let names = columns.map { PostgresSQL.quoted($0.name) }.joined(separator: ", ")
                let values = columns.map(PostgresSQL.cast).joined(separator: ", ")
                if root.disposition == .merge {
                    try await connection.run("""
                        INSERT INTO \(main(table.name)) (\(names)) SELECT \(values) FROM (SELECT DISTINCT ON (\(id)) * FROM \(stg(table.name))
                        ORDER BY \(id), _stg_seq DESC) s
                        """)
                } else {
                    try await connection.run("INSERT INTO \(main(table.name)) (\(names)) SELECT \(values) FROM \(stg(table.name))")
                }
            }
            if let rule = outcome.retention, family.contains(root.name) { try await applyRetention(rule, root: root.name, children: children) }
            for table in tables where staged[table.name] != nil {
                try await PostgresBookkeeping.recordSchema(table, columns: staged[table.name] ?? table.columns, loadId: loadId, connection, dataset: dataset)
            }
        }
        try await PostgresBookkeeping.saveState(outcome, pipeline: pipeline, loadId: loadId, connection, dataset: dataset)
    }

    private func exists(_ table: String) async throws -> Bool {
        var b = PostgresBindings()
        b.append(dataset); b.append(PostgresSQL.identifier(table))
        return try await connection.rows("SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2", b).rows.count == 1
    }

    private func mainColumns(_ table: String) async throws -> Set<String> {
        var b = PostgresBindings()
        b.append(dataset); b.append(PostgresSQL.identifier(table))
        return Set(try await connection.rows("SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2", b)
            .rows.compactMap { $0.first ?? nil })
    }

    private func ensureMainTable(_ table: TableSchema) async throws {
        let columns = staged[table.name] ?? table.columns
        if try await !exists(table.name) {
            let defs = columns.map { "\(PostgresSQL.quoted($0.name)) \(PostgresSQL.type($0.type))" }.joined(separator: ", ")
            try await connection.run("CREATE TABLE \(main(table.name)) (\(defs))")
            let column = table.isRoot ? SystemColumn.id : SystemColumn.rootId
            try await connection.run("CREATE INDEX ON \(main(table.name)) (\(PostgresSQL.quoted(column)))")
            return
        }
        let existing = try await mainColumns(table.name)
        for c in columns where !existing.contains(PostgresSQL.identifier(c.name)) {
            try await connection.run("ALTER TABLE \(main(table.name)) ADD COLUMN \(PostgresSQL.quoted(c.name)) \(PostgresSQL.type(c.type))")
        }
    }

    private func registeredTables(root: String) async throws -> [String] {
        var b = PostgresBindings()
        b.append(root)
        return try await connection.rows("SELECT DISTINCT table_name FROM \(ds).\(BookkeepingTable.schema) WHERE root_table = $1", b)
            .rows.compactMap { $0.first ?? nil }
    }

    private func applyRetention(_ rule: RetentionRule, root: String, children: [String]) async throws {
        guard try await mainColumns(root).contains(PostgresSQL.identifier(rule.column)) else { return }
        let t = main(root), c = PostgresSQL.quoted(rule.column)
        var conditions: [String] = []
        if let keep = rule.keepLast {
            conditions.append("\(c) NOT IN (SELECT DISTINCT \(c) FROM \(t) WHERE \(c) IS NOT NULL ORDER BY \(c) DESC LIMIT \(keep))")
        }
        if let age = rule.maxAgeSeconds { conditions.append("\(c)::timestamptz < now() - interval '\(Int(age)) seconds'") }
        let doomed = "SELECT \(PostgresSQL.quoted(SystemColumn.id)) FROM \(t) WHERE " + conditions.joined(separator: " OR ")
        for child in children {
            try await connection.run("DELETE FROM \(main(child)) WHERE \(PostgresSQL.quoted(SystemColumn.rootId)) IN (\(doomed))")
        }
        try await connection.run("DELETE FROM \(t) WHERE " + conditions.joined(separator: " OR "))
    }
}
