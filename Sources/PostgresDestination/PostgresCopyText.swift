import ConnectorKit
import PostgresNIO

/// Rows in the text format of PostgreSQL's `COPY … FROM STDIN`, the fastest way the client library
/// offers to stage rows: a tab between cells, a newline after each row, `\N` for NULL, and backslash,
/// tab, newline and carriage return escaped, so that every text arrives as sent (an empty text stays
/// empty, not NULL). Numbers go in forms PostgreSQL reads back exactly: integers in decimal, doubles in
/// Swift's shortest round-trip form. PostgreSQL text cannot hold the NUL character: a text with one is
/// an error naming the table and column, never a silently changed value.
///
/// Rows are written into memory of its own through a cursor (`CopyTextBytes`), a row's room
/// reserved once, and handed over as one `ByteBuffer` per chunk (`take`): writing cell by cell into
/// a `ByteBuffer` cost a capacity check, a uniqueness check and an exclusivity check per write,
/// several times the escaping itself.
struct PostgresCopyText: ~Copyable {
    let table: String
    let columns: [String]
    /// When set, each row ends with this number, one more each row: the staging sequence, numbered
    /// here rather than by a server-side sequence, which costs a third of a COPY's time.
    private(set) var sequence: Int?
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    /// Bytes written and not yet taken.
    private(set) var count = 0

    init(table: String, columns: [String], sequence: Int? = nil, capacity: Int = 1 << 18) {
        self.table = table
        self.columns = columns
        self.sequence = sequence
        self.capacity = Swift.max(capacity, 64)
        base = .allocate(byteCount: self.capacity, alignment: 8)
    }

    deinit { base.deallocate() }

    /// Appends the rows of `batch` from row `first` on, until `limit` bytes are waiting or the batch
    /// ends: the row to go on from. Cells are read in place, text straight from the batch's arena.
    mutating func append(_ batch: RowBatch, from first: Int, order: Int?, upTo limit: Int) throws -> Int {
        try batch.arena.withUnsafeBytes { arena in
            try batch.cells.withUnsafeBufferPointer { cells in
                var next = first
                while next < batch.count && count < limit {
                    try append(
                        UnsafeBufferPointer(rebasing: cells[batch.cellRange(ofRow: next)]), arena: arena, order: order)
                    next += 1
                }
                return next
            }
        }
    }

    /// Appends one row: its cells, NULL for the columns it lacks, then `order` and `sequence` when given.
    private mutating func append(_ row: UnsafeBufferPointer<Cell>, arena: UnsafeRawBufferPointer, order: Int?) throws {
        reserve(Self.bound(of: row, columns: columns.count))
        var out = CopyTextBytes(at: base + count)
        for i in columns.indices {
            if i > 0 { out.write(CopyTextBytes.tab) }
            switch i < row.count ? row[i] : .null {
            case .text(let start, let length):
                if length > 0, let from = arena.baseAddress, !out.writeEscaped(from + Int(start), count: Int(length)) {
                    throw nulError(column: i)
                }
            case let scalar:
                guard out.write(scalar.value(in: arena)) else { throw nulError(column: i) }
            }
        }
        if let order {
            out.write(CopyTextBytes.tab)
            out.write(Int64(order))
        }
        if let next = sequence {
            out.write(CopyTextBytes.tab)
            out.write(Int64(next))
            sequence = next + 1
        }
        out.write(CopyTextBytes.newline)
        count = out.cursor - base
    }

    /// The most bytes `row` can take: escaping at most doubles a text; a number takes at most 24.
    private static func bound(of row: UnsafeBufferPointer<Cell>, columns: Int) -> Int {
        var bytes = columns + 2 * (CopyTextBytes.maxNumberLength + 1) + 1  // separators, order and sequence, newline
        for cell in row {
            switch cell {
            case .text(_, let length): bytes += 2 * Int(length)
            default: bytes += CopyTextBytes.maxNumberLength
            }
        }
        return bytes + 2 * Swift.max(columns - row.count, 0)  // \N for the cells it lacks
    }

    private mutating func reserve(_ bytes: Int) {
        guard count + bytes > capacity else { return }
        let grown = Swift.max(capacity * 2, count + bytes)
        let larger = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 8)
        larger.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = larger
        capacity = grown
    }

    /// The rows appended since the last call, leaving none waiting.
    mutating func take() -> ByteBuffer {
        let out = ByteBuffer(bytes: UnsafeRawBufferPointer(start: base, count: count))
        count = 0
        return out
    }

    private func nulError(column: Int) -> PostgresDestinationError {
        PostgresDestinationError(
            "table '\(table)', column '\(columns[column])': PostgreSQL text cannot hold the NUL character"
                + " (\\u0000), so the value cannot load exactly")
    }

    /// PostgreSQL's spelling of the values that have no digits; every finite double as Swift prints it.
    static func text(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Infinity" : "Infinity" }
        return v.description
    }
}

extension PostgresSQL {
    /// A name as `PostgresConnection.copyFrom` wants it: the library puts it between double quotes
    /// as given, so embedded double quotes are doubled here, and a schema-qualified table is passed
    /// as `schema"."table`.
    static func copyName(_ name: String) -> String {
        doubling(UInt8(ascii: "\""), in: identifier(name))
    }

    static func copyTable(schema: String, table: String) -> String {
        copyName(schema) + "\".\"" + copyName(table)
    }
}
