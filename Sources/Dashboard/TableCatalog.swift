import ConnectorKit
import Foundation

/// One loaded table as the dashboard describes it: counts, place in the parent → child tree,
/// columns from the latest `_connector_schema` version.
struct TableInfo: Sendable {
    let name: String
    let rows: Int
    var resource: String?
    var parent: String?
    var primaryKey: [String] = []
    var columns: [Column] = []
    var disposition: String?
    var version: Int?

    /// Columns a loader always fills (ids) or the key: never null.
    func isNullable(_ column: String) -> Bool {
        ![SystemColumn.id, SystemColumn.loadId].contains(column) && !primaryKey.contains(column)
    }
}

/// The tables of one dataset, with their schema when the destination keeps one in SQL.
struct TableCatalog: Sendable {
    let tables: [TableInfo]

    static func read(_ dataset: any DatasetReader) async throws -> TableCatalog {
        var tables = try await dataset.tables().map { TableInfo(name: $0.name, rows: $0.rows) }
        // Files keep no schema table: their tables are listed flat, without columns.
        guard let schema = try? await dataset.query(latestSchemaSQL) else { return TableCatalog(tables: tables) }
        for row in schema.rows {
            guard let name = row[0], let i = tables.firstIndex(where: { $0.name == name }) else { continue }
            tables[i].version = row[1].flatMap { Int($0) }
            tables[i].resource = row[2]
            tables[i].parent = row[3]
            tables[i].disposition = row[4]
            tables[i].primaryKey = decode([String].self, row[5]) ?? []
            tables[i].columns = decode([Column].self, row[6]) ?? []
        }
        return TableCatalog(tables: tables)
    }

    static let latestSchemaSQL = """
        SELECT s.table_name, s.version, s.resource, s.parent_table, s.disposition, s.primary_key, s.columns
        FROM \(BookkeepingTable.schema) s
        WHERE s.version = (SELECT max(version) FROM \(BookkeepingTable.schema) v WHERE v.table_name = s.table_name)
        """

    func table(_ name: String?) -> TableInfo? { tables.first { $0.name == name } }

    /// Tables without a parent (or whose parent is not loaded), by name.
    var roots: [TableInfo] {
        let names = Set(tables.map(\.name))
        return tables.filter { $0.parent.map { !names.contains($0) } ?? true }
    }

    func children(of name: String) -> [TableInfo] { tables.filter { $0.parent == name } }

    /// Roots, each followed by its descendants, with their depth in the tree.
    var tree: [(table: TableInfo, depth: Int)] {
        var out: [(TableInfo, Int)] = []
        func walk(_ table: TableInfo, _ depth: Int) {
            out.append((table, depth))
            for child in children(of: table.name) where depth < 32 { walk(child, depth + 1) }
        }
        for root in roots { walk(root, 0) }
        return out
    }
}

func decode<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
    guard let text else { return nil }
    return try? JSONDecoder().decode(type, from: Data(text.utf8))
}
