import ConnectorKit
import PostgresNIO

/// Partial-scope `replace` (see `PublishPlan.clearReplaced`): rows are found by `_connector_unit`.
extension PostgresPublisher {
    func rowsWithoutUnit(root: String) async throws -> Int {
        guard !isPending(root) else { return 0 }
        let unstamped =
            try await hasUnitColumn(root) ? " WHERE \(PostgresSQL.quoted(SystemColumn.unit)) IS NULL" : ""
        let count = try await connection.rows("SELECT count(*) FROM \(main(root))" + unstamped).rows
        return Int((count.first?.first ?? nil) ?? "") ?? 0
    }

    func deleteUnits(_ units: [String], root: String, children: [String]) async throws {
        // A table without the column (and so, as checked, without rows) has nothing to delete.
        // A root this publish creates has no rows, so neither do its children.
        guard !units.isEmpty, !isPending(root), try await hasUnitColumn(root) else { return }
        var b = PostgresBindings()
        b.append(units)
        let inUnits = "\(PostgresSQL.quoted(SystemColumn.unit)) = ANY($1)"
        for child in children {
            try await connection.run(
                "DELETE FROM \(main(child)) WHERE \(PostgresSQL.quoted(SystemColumn.rootId)) IN "
                    + "(SELECT \(id) FROM \(main(root)) WHERE \(inUnits))", b)
        }
        try await connection.run("DELETE FROM \(main(root)) WHERE \(inUnits)", b)
    }

    private func hasUnitColumn(_ root: String) async throws -> Bool {
        try await mainColumns(root).contains { $0.0 == SystemColumn.unit }
    }
}
