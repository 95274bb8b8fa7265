import CSQLite
import ConnectorKit

/// Inserts the rows of a write's batches into one staged table several rows per statement: one
/// `INSERT … VALUES (…), (…), …` of 16 rows costs SQLite about a third less per row than 16
/// single-row steps (one program run, one reset, one journal check instead of sixteen). Rows
/// left over go in fours, then one at a time, so that three statements serve any write.
///
/// Rows stay in their batches' order and get consecutive rowids, as with one statement per row
/// (`StagedItemRows` relies on it). A row shorter than the table binds nulls for the rest, and so
/// do the staged columns a batch lacks: every parameter is bound on every run, so no statement
/// clears its bindings between runs (`sqlite3_clear_bindings` walks them all, ~600 instructions
/// a run) and none can keep a value, or a pointer into a freed batch, from an earlier run.
final class StagingInsert {
    let connection: SQLiteConnection
    let table: String
    /// Columns of the staged table, in its order.
    let columns: [Column]
    let width: Int
    private let names: String
    /// Prepared statements by rows per statement.
    private var statements: [Int: SQLiteStatement] = [:]
    /// Rows per statement, largest first; none binds more parameters than SQLite allows.
    let groupSizes: [Int]
    /// The columns of the batches last inserted, where each sits in the table, and the table's
    /// columns they lack: a resource's batches share one column array until a column is added,
    /// so these are worked out once per schema, not per batch (`knows` is then an identity test).
    private var batchColumns: [Column] = []
    private var positions: [Int] = []
    private var lacking: [Int] = []

    static let preferredGroupSizes = [16, 4, 1]

    init(connection: SQLiteConnection, table: String, columns: [Column]) {
        self.connection = connection
        self.table = table
        self.columns = columns
        let width = max(columns.count, 1)
        self.width = width
        names = columns.map { quoted($0.name) }.joined(separator: ", ")
        let parameters = Int(sqlite3_limit(connection.handle, SQLITE_LIMIT_VARIABLE_NUMBER, -1))
        groupSizes = Self.preferredGroupSizes.filter { $0 == 1 || $0 * width <= parameters }
    }

    /// True when batches with `columns` were inserted before (all of them are in the table).
    func knows(_ columns: [Column]) -> Bool { columns == batchColumns }

    /// Inserts every row of the `batches` at `indices`, in that order, whose columns are all in
    /// the table. The rows go as one stream: a statement's group may take rows from several
    /// batches, so a table whose pages are a few rows each (a page per parent record) still
    /// stages 16 rows a statement. A group's text is bound where it lies, in its batch's arena,
    /// which stays put while `batches` holds it (`RowBatch.forEachRow`), until the group runs.
    /// Returns the number of rows inserted: the last of them has `lastInsertRowid`.
    @discardableResult
    func insert(_ batches: [StagedBatch], at indices: [Int]) throws -> Int {
        // Read in place: `batches[i]` copied each batch (a retain and a release per array in it).
        try batches.withUnsafeBufferPointer { try insert($0, at: indices) }
    }

    private func insert(_ batches: UnsafeBufferPointer<StagedBatch>, at indices: [Int]) throws -> Int {
        let total = indices.reduce(0) { $0 + batches[$1].rows.count }
        var remaining = total
        guard remaining > 0 else { return 0 }
        var size = 0
        var filled = 0
        var statement: SQLiteStatement?
        for i in indices {
            if !knows(batches[i].rows.table.columns) { locate(batches[i].rows.table.columns) }
            try batches[i].rows.forEachRow { row, text in
                if filled == 0 {
                    size = groupSize(for: remaining)
                    statement = try self.statement(rows: size)
                }
                guard let statement else { return }
                bind(row, text: text, offset: filled * width, into: statement)
                filled += 1
                remaining -= 1
                if filled == size {
                    try statement.runKeepingBindings()
                    filled = 0
                }
            }
        }
        return total
    }

    /// Where each of a batch's `columns` sits in the table, and which table columns it lacks.
    /// Columns are only ever appended, so a batch almost always has the table's first columns in
    /// their order (no search); a resumed load's staged table may have them in another order.
    private func locate(_ columns: [Column]) {
        positions =
            Self.isPrefix(columns, of: self.columns)
            ? Array(columns.indices)
            : columns.map { column in self.columns.firstIndex(where: { $0.name == column.name }) ?? 0 }
        var covered = [Bool](repeating: false, count: width)
        for p in positions where p < width { covered[p] = true }
        lacking = covered.indices.filter { !covered[$0] }
        batchColumns = columns
    }

    /// True when `batch` names the first columns of `staged`, in their order.
    static func isPrefix(_ batch: [Column], of staged: [Column]) -> Bool {
        batch.count <= staged.count && zip(batch, staged).allSatisfy { $0.name == $1.name }
    }

    /// The largest group size that `remaining` rows fill.
    private func groupSize(for remaining: Int) -> Int {
        groupSizes.first { $0 <= remaining } ?? 1
    }

    /// Binds row `row` at parameter `offset` and on, with nulls where it ends early and for the
    /// `lacking` columns, which its batch does not have.
    private func bind(
        _ row: UnsafeBufferPointer<Cell>, text: UnsafeRawBufferPointer, offset: Int,
        into statement: SQLiteStatement
    ) {
        statement.bind(row, arena: text, at: positions, offset: offset)
        for i in min(row.count, positions.count)..<positions.count { statement.bindNull(offset + positions[i]) }
        for column in lacking { statement.bindNull(offset + column) }
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
