/// Rows of one table produced from one or more pages. Rows may be shorter than `columns`
/// (columns added later); the missing cells are null.
///
/// The cells of every row sit one after another in one buffer (`cells`), with where each row
/// ends (`ends`), and text read from JSON keeps its UTF-8 bytes in one byte buffer (`arena`):
/// a batch of thousands of rows is a few allocations, not one per row and per string, and is
/// freed at once. `rows` gives the rows as arrays of `Value`, made on demand, for code that
/// wants them so; the built-in destinations read cells in place (`forEachRow`, `row(_:)`).
public struct RowBatch: Sendable {
    public var table: TableSchema
    /// Every row's cells, row after row.
    public private(set) var cells: [Cell]
    /// `ends[r]` is where row `r` ends in `cells` (and row `r + 1` starts).
    public private(set) var ends: [Int]
    /// The bytes of `Cell.text` cells.
    public private(set) var arena: TextBytes

    public init(table: TableSchema, rows: [[Value]]) {
        self.init(table: table)
        cells.reserveCapacity(rows.reduce(0) { $0 + $1.count })
        ends.reserveCapacity(rows.count)
        for row in rows { append(row) }
    }

    /// An empty batch.
    init(table: TableSchema) {
        self.table = table
        cells = []
        ends = []
        arena = TextBytes()
    }

    /// An empty batch with room for as many rows, cells and text bytes as `sized` holds, up to
    /// `limit` cells (as many rows, 32 bytes of text a cell): the batch of a table's next page,
    /// usually of the same size, fills without growing its buffers a copy at a time (pages of a
    /// few rows each grew theirs several times). Larger pages grow as before: few copies a row.
    init(table: TableSchema, roomLike sized: RowBatch, limit: Int = 4096) {
        self.init(table: table)
        cells.reserveCapacity(min(sized.cells.count, limit))
        ends.reserveCapacity(min(sized.count, limit))
        arena.reserveCapacity(min(sized.arena.count, limit * 32))
    }

    /// The number of rows.
    public var count: Int { ends.count }

    /// The rows as arrays (each made anew, text included): for code that is not on a hot path.
    public var rows: [[Value]] {
        get { (0..<count).map { Array(row($0)) } }
        set { self = RowBatch(table: table, rows: newValue) }
    }

    /// Where row `index` (0 ..< count) sits in `cells`.
    public func cellRange(ofRow index: Int) -> Range<Int> { (index == 0 ? 0 : ends[index - 1])..<ends[index] }

    /// Row `index` (0 ..< count), read in place.
    public func row(_ index: Int) -> Row { Row(cells: cells[cellRange(ofRow: index)], arena: arena) }

    /// Calls `body` with each row's cells in order, and the arena their text is in, read in place
    /// (no copy, no retain per row). `Cell.value(in:)` reads a cell as a `Value`. The arena's bytes
    /// stay where they are while the batch (or a copy sharing them) lives unchanged, so `text` may
    /// be kept until then: SQLite binds text from there for a statement of several batches' rows.
    public func forEachRow(_ body: (UnsafeBufferPointer<Cell>, UnsafeRawBufferPointer) throws -> Void) rethrows {
        try arena.withUnsafeBytes { text in
            try cells.withUnsafeBufferPointer { all in
                var start = 0
                for end in ends {
                    try body(UnsafeBufferPointer(rebasing: all[start..<end]), text)
                    start = end
                }
            }
        }
    }

    /// Adds one row at the end.
    public mutating func append(_ row: [Value]) {
        for value in row { cells.append(cell(value)) }
        ends.append(cells.count)
    }

    /// `value` as a cell of this batch: its text, if any, kept in the arena.
    mutating func cell(_ value: Value) -> Cell {
        switch value {
        case .null: return .null
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .bool(let b): return .bool(b)
        case .text(var string): return string.withUTF8 { text(UnsafeRawBufferPointer($0)) }
        }
    }

    /// Adds `row` at the end (its cells are plain memory: one copy), leaving it as many nulls.
    mutating func take(_ row: inout [Cell]) {
        cells.append(contentsOf: row)
        row.withUnsafeMutableBufferPointer { $0.update(repeating: .null) }
        ends.append(cells.count)
    }

    /// Keeps `bytes` (UTF-8) in the arena: the cell that reads them.
    mutating func text(_ bytes: UnsafeRawBufferPointer) -> Cell {
        let start = arena.count
        arena.append(bytes)
        return .text(start: UInt32(truncatingIfNeeded: start), count: UInt32(truncatingIfNeeded: bytes.count))
    }

    /// Adds the rows of `other` at the end (its table is not looked at).
    public mutating func append(contentsOf other: RowBatch) {
        let (base, textBase) = (cells.count, UInt32(truncatingIfNeeded: arena.count))
        arena.append(other.arena)
        cells.reserveCapacity(base + other.cells.count)
        for cell in other.cells {
            if case .text(let start, let count) = cell {
                cells.append(.text(start: start + textBase, count: count))
            } else {
                cells.append(cell)
            }
        }
        ends.reserveCapacity(ends.count + other.ends.count)
        for end in other.ends { ends.append(base + end) }
    }

    /// Drops the last `n` rows (their text stays in the arena, unread).
    mutating func removeLast(_ n: Int) {
        let kept = count - min(n, count)
        guard kept < count else { return }
        cells.removeSubrange(cellRange(ofRow: kept).lowerBound...)
        ends.removeSubrange(kept...)
    }

    /// One row of a batch, indexed from 0; a column past the row's end reads as null.
    public struct Row: RandomAccessCollection, Sendable {
        public let cells: ArraySlice<Cell>
        let arena: TextBytes
        public var startIndex: Int { 0 }
        public var endIndex: Int { cells.count }
        public subscript(position: Int) -> Value {
            arena.withUnsafeBytes { cells[cells.startIndex + position].value(in: $0) }
        }
        /// The cell of column `column`, null when the row is shorter.
        public subscript(column column: Int) -> Value { column < cells.count ? self[column] : .null }
    }
}

/// A cell of a `RowBatch`: a scalar, or text whose UTF-8 bytes are in the batch's arena. Every
/// text goes to the arena, so a cell holds no reference: rows move, copy and are freed as plain
/// memory (a `String` case made every cell copy, overwrite and free go through a type switch,
/// and freeing a batch visit each cell).
public enum Cell: Sendable {
    case null
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case text(start: UInt32, count: UInt32)

    /// The cell as a value; `arena` is its batch's (`RowBatch.forEachRow`).
    @inline(__always)
    public func value(in arena: UnsafeRawBufferPointer) -> Value {
        switch self {
        case .null: return .null
        case .int(let i): return .int(i)
        case .double(let d): return .double(d)
        case .bool(let b): return .bool(b)
        case .text(let start, let count):
            let bytes = UnsafeRawBufferPointer(rebasing: arena[Int(start)..<Int(start) + Int(count)])
            return .text(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// True for a null value (arena text is never null).
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
