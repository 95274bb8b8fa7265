extension PublishPlan {
    /// Before a `replace` inserts: the whole family of tables goes (`units` nil), or — for a run
    /// of some units (`--shard`, `--partition`) — only the rows of those units and their children.
    /// Rows without a unit (loaded before units were recorded) would be neither replaced nor known
    /// to be current, so their presence refuses a partial publish.
    static func clearReplaced(
        _ units: [String]?, root: String, family: Set<String>, in target: some PublishTarget
    ) async throws {
        guard let units else {
            for t in family.sorted() { try await target.deleteAll(t) }
            return
        }
        guard family.contains(root) else { return }
        let unstamped = try await target.rowsWithoutUnit(root: root)
        guard unstamped == 0 else { throw PartialReplaceError(table: root, rows: unstamped) }
        try await target.deleteUnits(units, root: root, children: family.filter { $0 != root }.sorted())
    }
}

/// A `replace` table cannot be replaced unit by unit: some of its rows carry no unit.
public struct PartialReplaceError: Error, Sendable, CustomStringConvertible {
    public let table: String
    public let rows: Int

    public var description: String {
        "table '\(table)' has \(rows) row(s) without \(SystemColumn.unit) (loaded before connector recorded "
            + "units): --shard/--partition cannot tell which run replaces them. Run this pipeline once without "
            + "--shard and --partition (a whole load replaces the table and records units), then shard again"
    }
}
