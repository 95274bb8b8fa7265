/// The rows a table builder buffers: built one at a time in a reused row, then moved into the
/// table's `RowBatch`, text bytes into its arena.
extension TableBuilder {
    var rowCount: Int { buffered.count }

    /// A row of nulls as wide as the table is now, to fill and then `append`.
    func newRow() -> [Cell] {
        var row = spareRow
        spareRow = []
        let width = schema.columns.count
        if row.count < width { row.appendNulls(width - row.count) }
        return row
    }

    /// Buffers `row` (its cells are copied as they are), leaving it all nulls for `newRow()`.
    func append(_ row: inout [Cell]) {
        buffered.take(&row)
        totalRows += 1
        swap(&row, &spareRow)
    }

    /// Keeps text bytes with the buffered rows: the cell that reads them (no `String` made).
    func text(_ bytes: UnsafeRawBufferPointer) -> Cell { buffered.text(bytes) }

    /// A row id's digits, kept the same way.
    func text(_ id: StableID.RowID) -> Cell { id.withHex { buffered.text($0) } }

    /// Adds a key cell to a row id, as `StableID.Hasher.add(Value)` would; false for null.
    func hash(_ cell: Cell, into hasher: inout StableID.Hasher) -> Bool {
        guard case .text(let start, let count) = cell else { return hasher.add(value(cell)) }
        buffered.arena.withUnsafeBytes {
            hasher.add(utf8: UnsafeRawBufferPointer(rebasing: $0[Int(start)..<Int(start) + Int(count)]))
        }
        return true
    }

    /// `value` as a cell of the buffered rows, its text kept with them.
    func cell(_ value: Value) -> Cell { buffered.cell(value) }

    /// The same for a value every row of a batch has (the load id): its text is kept once a
    /// batch and the rows' cells share it.
    func sharedCell(_ value: Value) -> Cell {
        if let shared, shared.value == value { return shared.cell }
        let cell = buffered.cell(value)
        shared = (value, cell)
        return cell
    }

    /// A cell of a row being built, as a value.
    func value(_ cell: Cell) -> Value { buffered.arena.withUnsafeBytes { cell.value(in: $0) } }

    /// Drops the last `n` buffered rows (a record refused by a contract).
    func discard(_ n: Int) {
        buffered.removeLast(n)
        totalRows -= n
    }

    /// Buffered rows of this table, leaving it empty. The batch takes the buffer along; keeping its
    /// capacity here would give every later batch a buffer as large as the largest page's, and
    /// pending batches of thousands of one-record pages would weigh megabytes each. The next
    /// buffer gets room like this batch's, a small page's at most (`RowBatch(table:roomLike:)`).
    func takeBatch() -> RowBatch? {
        guard buffered.count > 0 else { return nil }
        // Columns are only ever appended: most pages add none, and the batch's table is the schema already.
        if buffered.table.columns.count != schema.columns.count { buffered.table = schema }
        var batch = RowBatch(table: buffered.table, roomLike: buffered)
        swap(&batch, &buffered)  // moved, not copied: a copy retains and releases each of its arrays
        shared = nil  // its text stayed with the batch
        return batch
    }
}

extension Array where Element == Cell {
    @inline(__always) mutating func set(_ index: Int, _ cell: Cell) {
        if index >= count { appendNulls(index - count + 1) }
        self[index] = cell
    }

    /// Appends `n` null cells one by one: a loop the compiler inlines (appending `repeatElement`
    /// or a slice of nulls goes through generic per-element code, ~100 instructions a cell).
    mutating func appendNulls(_ n: Int) {
        for _ in 0..<n { append(.null) }
    }
}
