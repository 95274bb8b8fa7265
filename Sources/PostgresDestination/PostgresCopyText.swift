import ConnectorKit
import PostgresNIO

/// Rows in the text format of PostgreSQL's `COPY … FROM STDIN`, the fastest way the client library
/// offers to stage rows: a tab between cells, a newline after each row, `\N` for NULL, and backslash,
/// tab, newline and carriage return escaped, so that every text arrives as sent (an empty text stays
/// empty, not NULL). Numbers go in forms PostgreSQL reads back exactly: integers in decimal, doubles in
/// Swift's shortest round-trip form. PostgreSQL text cannot hold the NUL character: a text with one is
/// an error naming the table and column, never a silently changed value.
struct PostgresCopyText {
    let table: String
    let columns: [String]
    private(set) var buffer = ByteBufferAllocator().buffer(capacity: 1 << 18)
    /// When set, each row ends with this number, one more each row: the staging sequence, numbered
    /// here rather than by a server-side sequence, which costs a third of a COPY's time.
    private(set) var sequence: Int?

    init(table: String, columns: [String], sequence: Int? = nil) {
        self.table = table
        self.columns = columns
        self.sequence = sequence
    }

    /// Appends the rows of `batch` from row `first` on, until the buffer holds `limit` bytes or the
    /// batch ends: the row to go on from. Cells are read in place, text straight from the batch's arena.
    mutating func append(_ batch: RowBatch, from first: Int, order: Int?, upTo limit: Int) throws -> Int {
        try batch.arena.withUnsafeBytes { arena in
            try batch.cells.withUnsafeBufferPointer { cells in
                var next = first
                while next < batch.count && buffer.readableBytes < limit {
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
        for i in columns.indices {
            if i > 0 { buffer.writeInteger(Self.tab) }
            switch i < row.count ? row[i] : .value(.null) {
            case .text(let start, let count):
                try write(UnsafeRawBufferPointer(rebasing: arena[Int(start)..<Int(start) + Int(count)]), column: i)
            case .value(let value): try write(value, column: i)
            }
        }
        if let order {
            buffer.writeInteger(Self.tab)
            buffer.writeString(String(order))
        }
        if let next = sequence {
            buffer.writeInteger(Self.tab)
            buffer.writeString(String(next))
            sequence = next + 1
        }
        buffer.writeInteger(Self.newline)
    }

    /// The rows appended since the last call, leaving the buffer empty.
    mutating func take() -> ByteBuffer {
        let out = buffer
        buffer = ByteBufferAllocator().buffer(capacity: 1 << 18)
        return out
    }

    private mutating func write(_ value: Value, column: Int) throws {
        switch value {
        case .null: buffer.writeStaticString("\\N")
        case .int(let v): buffer.writeString(String(v))
        case .bool(let v): buffer.writeInteger(v ? UInt8(ascii: "t") : UInt8(ascii: "f"))
        case .double(let v): buffer.writeString(Self.text(v))
        case .text(let s): try write(s, column: column)
        }
    }

    /// PostgreSQL's spelling of the values that have no digits; every finite double as Swift prints it.
    static func text(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v < 0 ? "-Infinity" : "Infinity" }
        return v.description
    }

    private mutating func write(_ text: String, column: Int) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0), column: column) }
    }

    /// UTF-8 text, escaped.
    private mutating func write(_ bytes: UnsafeRawBufferPointer, column: Int) throws {
        var start = 0
        for i in bytes.indices {
            let escaped: UInt8
            switch bytes[i] {
            case Self.backslash: escaped = Self.backslash
            case Self.tab: escaped = UInt8(ascii: "t")
            case Self.newline: escaped = UInt8(ascii: "n")
            case Self.carriageReturn: escaped = UInt8(ascii: "r")
            case 0:
                throw PostgresDestinationError(
                    "table '\(table)', column '\(columns[column])': PostgreSQL text cannot hold the NUL character"
                        + " (\\u0000), so the value cannot load exactly")
            default: continue
            }
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[start..<i]))
            buffer.writeInteger(Self.backslash)
            buffer.writeInteger(escaped)
            start = i + 1
        }
        buffer.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[start...]))
    }

    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let backslash = UInt8(ascii: "\\")
}

extension PostgresSQL {
    /// A name as `PostgresConnection.copyFrom` wants it: the library puts it between double quotes
    /// as given, so embedded double quotes are doubled here, and a schema-qualified table is passed
    /// as `schema"."table`.
    static func copyName(_ name: String) -> String {
        identifier(name).replacingOccurrences(of: "\"", with: "\"\"")
    }

    static func copyTable(schema: String, table: String) -> String {
        copyName(schema) + "\".\"" + copyName(table)
    }
}
