import CSQLite
import ConnectorKit

/// Inserts a batch's rows into one staged table several rows per statement: one
/// `INSERT … VALUES (…), (…), …` of 16 rows costs SQLite about a third less per row than 16
/// single-row steps (one program run, one reset, one journal check instead of sixteen). Rows
/// left over go in fours, then one at a time, so that three statements serve any batch.
///
/// Rows stay in their batch order and get consecutive rowids, as with one statement per row
/// (`StagedItemRows` relies on it). A row shorter than the table binds nulls for the rest, and so
/// do the staged columns a batch lacks: every parameter is bound on every run, so no statement
/// clears its bindings between runs (`sqlite3_clear_bindings` walks them all, ~600 instructions
/// a run) and none can keep a value, or a pointer into a freed batch, from an earlier run.
final class StagingInsert {
    let connection: SQLiteConnection
    let table: String
    /// Columns of the staged table, in its order.
    let width: Int
    private let names: String
    /// Prepared statements by rows per statement.
    private var statements: [Int: SQLiteStatement] = [:]
    /// The rows of the group being filled (valid inside one `insert` call).
    private var group: [UnsafeBufferPointer<Cell>] = []
    /// Rows per statement, largest first; none binds more parameters than SQLite allows.
    let groupSizes: [Int]

    static let preferredGroupSizes = [16, 4, 1]

    init(connection: SQLiteConnection, table: String, columns: [Column]) {
        self.connection = connection
        self.table = table
        let width = max(columns.count, 1)
        self.width = width
        names = columns.map { quoted($0.name) }.joined(separator: ", ")
        let parameters = Int(sqlite3_limit(connection.handle, SQLITE_LIMIT_VARIABLE_NUMBER, -1))
        groupSizes = Self.preferredGroupSizes.filter { $0 == 1 || $0 * width <= parameters }
        group.reserveCapacity(groupSizes[0])
    }

    /// Inserts every row of `batch`; `positions[i]` is where the batch's column `i` sits in the table.
    func insert(_ batch: RowBatch, positions: [Int]) throws {
        var remaining = batch.count
        guard remaining > 0 else { return }
        defer { group.removeAll(keepingCapacity: true) }
        var size = groupSize(for: remaining)
        var covered = [Bool](repeating: false, count: width)
        for p in positions where p < width { covered[p] = true }
        let lacking = covered.indices.filter { !covered[$0] }
        try batch.forEachRow { row, text in
            group.append(row)
            guard group.count == size else { return }
            try run(text: text, positions: positions, lacking: lacking)
            remaining -= size
            group.removeAll(keepingCapacity: true)
            if remaining > 0 { size = groupSize(for: remaining) }
        }
    }

    /// The largest group size that `remaining` rows fill.
    private func groupSize(for remaining: Int) -> Int {
        groupSizes.first { $0 <= remaining } ?? 1
    }

    /// Binds every parameter of the group's rows (nulls where a row ends early and for the
    /// `lacking` columns, which the batch does not have) and runs the statement.
    private func run(text: UnsafeRawBufferPointer, positions: [Int], lacking: [Int]) throws {
        let statement = try self.statement(rows: group.count)
        statement.reserveText(of: group)
        for (r, row) in group.enumerated() {
            let offset = r * width
            statement.bind(row, arena: text, at: positions, offset: offset)
            for i in min(row.count, positions.count)..<positions.count { statement.bindNull(offset + positions[i]) }
            for column in lacking { statement.bindNull(offset + column) }
        }
        try statement.runKeepingBindings()
    }

    private func statement(rows: Int) throws -> SQLiteStatement {
        if let s = statements[rows] { return s }
        let one = "(" + Array(repeating: "?", count: width).joined(separator: ", ") + ")"
        let values = Array(repeating: one, count: rows).joined(separator: ", ")
        let s = try connection.prepare("INSERT INTO stg.\(quoted(table)) (\(names)) VALUES \(values)")
        statements[rows] = s
        return s
    }
}
