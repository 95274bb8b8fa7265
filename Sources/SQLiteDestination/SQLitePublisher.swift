import ConnectorKit
import Foundation

/// Moves one resource's staged rows into the main tables by its write disposition:
/// append adds, replace swaps the whole table (inside the load's transaction, so readers
/// never see it empty), merge upserts on the primary key and replaces merged parents' children.
struct SQLitePublisher {
    let connection: SQLiteConnection
    let pipeline: String
    let loadId: String
    let staged: [String: [Column]]

    func publish(_ outcome: ResourceOutcome) throws {
        for root in outcome.roots {
            let tables = outcome.tables.filter { $0.root == root.name }
            for table in tables where staged[table.name] != nil { try ensureMainTable(table) }
            let family = Set(try registeredTables(root: root.name) + tables.map(\.name)).filter { (try? exists($0)) == true }
            let children = family.filter { $0 != root.name }.sorted()
            switch root.disposition {
            case .append:
                break
            case .replace:
                for t in family.sorted() { try connection.execute("DELETE FROM main.\(quoted(t))") }
            case .merge:
                if staged[root.name] != nil, family.contains(root.name) {
                    let keys = "SELECT \(quoted(SystemColumn.id)) FROM stg.\(quoted(root.name))"
                    try connection.execute("DELETE FROM main.\(quoted(root.name)) WHERE \(quoted(SystemColumn.id)) IN (\(keys))")
                    for child in children {
                        try connection.execute("DELETE FROM main.\(quoted(child)) WHERE \(quoted(SystemColumn.rootId)) IN (\(keys))")
                    }
                }
            }
            for table in tables {
                guard let columns = staged[table.name] else { continue }
                let names = columns.map { quoted($0.name) }.joined(separator: ", ")
                var sql = "INSERT INTO main.\(quoted(table.name)) (\(names)) SELECT \(names) FROM stg.\(quoted(table.name))"
                if root.disposition == .merge {
                    sql += " WHERE rowid IN (SELECT max(rowid) FROM stg.\(quoted(table.name)) GROUP BY \(quoted(SystemColumn.id)))"
                }
                try connection.execute(sql)
            }
            if let rule = outcome.retention, family.contains(root.name) || staged[root.name] != nil {
                try applyRetention(rule, root: root.name, children: children)
            }
            for table in tables where staged[table.name] != nil {
                try SQLiteBookkeeping.recordSchema(table, columns: try mainColumns(table.name), loadId: loadId, connection: connection)
            }
        }
        try SQLiteBookkeeping.saveState(outcome, pipeline: pipeline, loadId: loadId, connection: connection)
    }

    /// Deletes root rows outside the retention rule, and the children of those rows.
    private func applyRetention(_ rule: RetentionRule, root: String, children: [String]) throws {
        let t = "main.\(quoted(root))", c = quoted(rule.column)
        guard try mainColumns(root).contains(where: { $0.name == rule.column }) else { return }
        var conditions: [String] = []
        if let keep = rule.keepLast {
            conditions.append("\(c) NOT IN (SELECT DISTINCT \(c) FROM \(t) WHERE \(c) IS NOT NULL ORDER BY \(c) DESC LIMIT \(keep))")
        }
        if let age = rule.maxAgeSeconds {
            conditions.append("\(c) < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-\(Int(age)) seconds')")
        }
        let doomed = "SELECT \(quoted(SystemColumn.id)) FROM \(t) WHERE " + conditions.joined(separator: " OR ")
        for child in children {
            try connection.execute("DELETE FROM main.\(quoted(child)) WHERE \(quoted(SystemColumn.rootId)) IN (\(doomed))")
        }
        try connection.execute("DELETE FROM \(t) WHERE " + conditions.joined(separator: " OR "))
    }

    private func exists(_ table: String) throws -> Bool {
        try connection.scalar("SELECT count(*) FROM main.sqlite_master WHERE type = 'table' AND name = ?", [table]) != "0"
    }

    private func mainColumns(_ table: String) throws -> [Column] {
        try connection.rows("SELECT name, type FROM pragma_table_info(?, 'main')", [table]).rows.map { row in
            Column(name: row[0] ?? "", type: DataType.fromSQLite(row[1] ?? "TEXT"))
        }
    }

    private func ensureMainTable(_ table: TableSchema) throws {
        let columns = staged[table.name] ?? table.columns
        if try !exists(table.name) {
            let defs = columns.map { "\(quoted($0.name)) \($0.type.sqliteType)" }.joined(separator: ", ")
            try connection.execute("CREATE TABLE main.\(quoted(table.name)) (\(defs))")
            if table.isRoot {
                try connection.execute("CREATE INDEX main.\(quoted(table.name + "__connector_id_idx")) ON \(quoted(table.name)) (\(quoted(SystemColumn.id)))")
            } else {
                try connection.execute("CREATE INDEX main.\(quoted(table.name + "__connector_root_idx")) ON \(quoted(table.name)) (\(quoted(SystemColumn.rootId)))")
            }
            return
        }
        let existing = Set(try mainColumns(table.name).map(\.name))
        for c in columns where !existing.contains(c.name) {
            try connection.execute("ALTER TABLE main.\(quoted(table.name)) ADD COLUMN \(quoted(c.name)) \(c.type.sqliteType)")
        }
    }

    private func registeredTables(root: String) throws -> [String] {
        try connection.rows("SELECT DISTINCT table_name FROM main.\(BookkeepingTable.schema) WHERE root_table = ?", [root]).rows.compactMap { $0[0] }
    }
}

extension DataType {
    static func fromSQLite(_ declared: String) -> DataType {
        switch declared.uppercased() {
        case "INTEGER": return .bigint
        case "REAL": return .double
        case "BOOLEAN": return .bool
        case "TIMESTAMP": return .timestamp
        case "JSON": return .json
        default: return .text
        }
    }
}
