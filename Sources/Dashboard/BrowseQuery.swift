import ConnectorKit

/// The SQL of one page of the table browser. Table and column names come from the catalog
/// (a request naming another column is ignored) and are quoted; the filter text is a quoted
/// literal. The same SQL runs on SQLite and PostgreSQL.
struct BrowseQuery {
    let table: TableInfo
    let page: Int
    let pageSize: Int
    let sortColumn: String?
    let descending: Bool
    let filterColumn: String?
    let filterText: String?
    let parentId: String?
    let rowId: String?

    init(request: DashboardRequest, table: TableInfo, pageSize: Int) {
        let known = Set(table.columns.map(\.name))
        self.table = table
        self.pageSize = pageSize
        page = request.number("page", default: 0)
        sortColumn = request["sort"].flatMap { known.contains($0) ? $0 : nil }
        descending = request["desc"] == "1"
        filterColumn = request["col"].flatMap { known.contains($0) ? $0 : nil }
        filterText = request["q"]
        parentId = known.contains(SystemColumn.parentId) ? request["parent"] : nil
        rowId = known.contains(SystemColumn.id) ? request["id"] : nil
    }

    var whereClause: String {
        var conditions: [String] = []
        if let parentId { conditions.append("\(ident(SystemColumn.parentId)) = \(literal(parentId))") }
        if let rowId { conditions.append("\(ident(SystemColumn.id)) = \(literal(rowId))") }
        if let filterText {
            let pattern = literal("%" + filterText.lowercased() + "%")
            let columns = filterColumn.map { [$0] } ?? table.columns.map(\.name)
            let matches = columns.map { "lower(CAST(\(ident($0)) AS TEXT)) LIKE \(pattern)" }
            if !matches.isEmpty { conditions.append("(" + matches.joined(separator: " OR ") + ")") }
        }
        return conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
    }

    var countSQL: String { "SELECT count(*) FROM \(ident(table.name))\(whereClause)" }

    var pageSQL: String {
        let order = sortColumn.map { " ORDER BY \(ident($0)) \(descending ? "DESC" : "ASC")" } ?? ""
        return "SELECT * FROM \(ident(table.name))\(whereClause)\(order) LIMIT \(pageSize) OFFSET \(page * pageSize)"
    }
}

/// `"name"` with embedded quotes doubled (SQLite and PostgreSQL alike).
func ident(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }

/// `'text'` with embedded quotes doubled (standard SQL; PostgreSQL's standard_conforming_strings).
func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
