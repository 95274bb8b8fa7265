import ConnectorKit

/// Partial-scope `replace` (see `PublishPlan.clearReplaced`): rows are found by `_connector_unit`.
extension SQLitePublisher {
    func rowsWithoutUnit(root: String) throws -> Int {
        let unstamped = try hasUnitColumn(root) ? " WHERE \(quoted(SystemColumn.unit)) IS NULL" : ""
        return Int(try connection.scalar("SELECT count(*) FROM main.\(quoted(root))" + unstamped) ?? "") ?? 0
    }

    func deleteUnits(_ units: [String], root: String, children: [String]) throws {
        // A table without the column (and so, as checked, without rows) has nothing to delete.
        guard try hasUnitColumn(root) else { return }
        let unit = quoted(SystemColumn.unit), id = quoted(SystemColumn.id)
        // Bound parameters in chunks: SQLite limits the parameters of one statement.
        for start in stride(from: 0, to: units.count, by: 500) {
            let chunk: [String?] = units[start..<min(start + 500, units.count)].map { $0 }
            let list = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
            let doomed = "SELECT \(id) FROM main.\(quoted(root)) WHERE \(unit) IN (\(list))"
            for child in children {
                _ = try connection.rows(
                    "DELETE FROM main.\(quoted(child)) WHERE \(quoted(SystemColumn.rootId)) IN (\(doomed))", chunk)
            }
            _ = try connection.rows("DELETE FROM main.\(quoted(root)) WHERE \(unit) IN (\(list))", chunk)
        }
    }

    private func hasUnitColumn(_ root: String) throws -> Bool {
        try connection.scalar(
            "SELECT count(*) FROM pragma_table_info(?, 'main') WHERE name = ?", [root, SystemColumn.unit]) != "0"
    }
}
