/// Rows of one table produced from one or more pages. Rows may be shorter than `columns`
/// (columns added later); the missing cells are null.
///
/// The cells of every row sit one after another in one buffer (`cells`), with where each row
/// ends (`ends`): a batch of thousands of rows is two allocations, not one per row, and is
/// freed as one. `rows` gives the rows as arrays, made on demand, for code that wants them so;
/// the built-in destinations read cells in place (`forEachRow`, `row(_:)`).
public struct RowBatch: Sendable {
    public var table: TableSchema
    /// Every row's cells, row after row.
    public private(set) var cells: [Value]
    /// `ends[r]` is where row `r` ends in `cells` (and row `r + 1` starts).
    public private(set) var ends: [Int]

    public init(table: TableSchema, rows: [[Value]]) {
        self.table = table
        cells = []
        ends = []
        cells.reserveCapacity(rows.reduce(0) { $0 + $1.count })
        ends.reserveCapacity(rows.count)
        for row in rows { append(row) }
    }

    /// A batch from cells already laid out row after row (`ends` as described there).
    init(table: TableSchema, cells: [Value], ends: [Int]) {
        self.table = table
        self.cells = cells
        self.ends = ends
    }

    /// The number of rows.
    public var count: Int { ends.count }

    /// The rows as arrays (each made anew): for code that is not on a hot path.
    public var rows: [[Value]] {
        get { (0..<count).map { Array(row($0).cells) } }
        set { self = RowBatch(table: table, rows: newValue) }
    }

    /// Row `index` (0 ..< count), read in place.
    public func row(_ index: Int) -> Row {
        Row(cells: cells[(index == 0 ? 0 : ends[index - 1])..<ends[index]])
    }

    /// Calls `body` with each row's cells in order, read in place (no copy, no retain per row).
    public func forEachRow(_ body: (UnsafeBufferPointer<Value>) throws -> Void) rethrows {
        try cells.withUnsafeBufferPointer { all in
            var start = 0
            for end in ends {
                try body(UnsafeBufferPointer(rebasing: all[start..<end]))
                start = end
            }
        }
    }

    /// Adds one row at the end.
    public mutating func append(_ row: [Value]) {
        cells.append(contentsOf: row)
        ends.append(cells.count)
    }

    /// Adds `row` at the end by moving its cells, leaving it as many nulls: a row built cell by
    /// cell and then buffered costs neither a retain nor a release per cell.
    mutating func take(_ row: inout [Value]) {
        let start = cells.count
        let n = row.count
        cells.append(contentsOf: repeatElement(.null, count: n))
        cells.withUnsafeMutableBufferPointer { all in
            row.withUnsafeMutableBufferPointer { source in
                guard let from = source.baseAddress, let to = all.baseAddress else { return }
                // The nulls being replaced need no deinitialization (a trivial case).
                (to + start).moveInitialize(from: from, count: n)
                from.initialize(repeating: .null, count: n)
            }
        }
        ends.append(cells.count)
    }

    /// Adds the rows of `other` at the end (its table is not looked at).
    public mutating func append(contentsOf other: RowBatch) {
        let base = cells.count
        cells.append(contentsOf: other.cells)
        ends.reserveCapacity(ends.count + other.ends.count)
        for end in other.ends { ends.append(base + end) }
    }

    /// Drops the last `n` rows.
    mutating func removeLast(_ n: Int) {
        let kept = count - min(n, count)
        cells.removeSubrange((kept == 0 ? 0 : ends[kept - 1])...)
        ends.removeSubrange(kept...)
    }

    /// One row of a batch, indexed from 0; a column past the row's end reads as null.
    public struct Row: RandomAccessCollection, Sendable {
        public let cells: ArraySlice<Value>
        public var startIndex: Int { 0 }
        public var endIndex: Int { cells.count }
        public subscript(position: Int) -> Value { cells[cells.startIndex + position] }
        /// The cell of column `column`, null when the row is shorter.
        public subscript(column column: Int) -> Value {
            column < cells.count ? cells[cells.startIndex + column] : .null
        }
    }
}
