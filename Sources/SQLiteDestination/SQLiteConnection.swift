import CSQLite

/// A failed SQLite call, with the statement that failed.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    public let code: Int32
    public let message: String
    public let sql: String?
    public var description: String { "SQLite error \(code): \(message)" + (sql.map { " in: \($0.prefix(300))" } ?? "") }
}

/// One connection to a SQLite database file.
final class SQLiteConnection {
    let handle: OpaquePointer

    /// Process-wide settings, applied once before the first connection opens: no memory
    /// statistics (nothing reads them; keeping them costs a global mutex per allocation).
    private static let configured: Bool = csqlite_disable_memory_statistics() == SQLITE_OK

    /// `readOnly` opens the file so that no statement can change it (nor any file it attaches).
    init(path: String, readOnly: Bool = false) throws(SQLiteError) {
        _ = Self.configured
        var db: OpaquePointer?
        let access = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        let flags = access | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(code: rc, message: "\(message) (\(path))", sql: nil)
        }
        handle = db
        sqlite3_busy_timeout(db, 10_000)
    }

    deinit { sqlite3_close_v2(handle) }

    func execute(_ sql: String) throws(SQLiteError) {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        if rc != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(error)
            throw SQLiteError(code: rc, message: message, sql: sql)
        }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes64(handle)) }
    var lastInsertRowid: Int64 { sqlite3_last_insert_rowid(handle) }

    func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else {
            throw SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
        }
        return SQLiteStatement(statement, connection: self, sql: sql)
    }

    /// Every row of a query as text.
    func rows(_ sql: String, _ parameters: [String?] = []) throws(SQLiteError) -> (columns: [String], rows: [[String?]])
    {
        let s = try prepare(sql)
        for (i, p) in parameters.enumerated() { s.bind(i + 1, p) }
        var columns: [String] = []
        for i in 0..<sqlite3_column_count(s.handle) {
            columns.append(String(cString: sqlite3_column_name(s.handle, i)))
        }
        var out: [[String?]] = []
        while try s.step() {
            out.append((0..<Int32(columns.count)).map { s.text($0) })
        }
        return (columns, out)
    }

    func scalar(_ sql: String, _ parameters: [String?] = []) throws(SQLiteError) -> String? {
        try rows(sql, parameters).rows.first?.first ?? nil
    }

    func error(_ rc: Int32, _ sql: String?) -> SQLiteError {
        SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }
}

/// A prepared statement, bound and stepped many times.
final class SQLiteStatement {
    let handle: OpaquePointer
    let connection: SQLiteConnection
    let sql: String

    init(_ handle: OpaquePointer, connection: SQLiteConnection, sql: String) {
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ index: Int, _ text: String?) {
        guard let text else { sqlite3_bind_null(handle, Int32(index)); return }
        var t = text
        t.withUTF8 { buf in
            _ = sqlite3_bind_text(
                handle, Int32(index), UnsafeRawPointer(buf.baseAddress)?.assumingMemoryBound(to: CChar.self),
                Int32(buf.count), Self.transient)
        }
    }

    func bind(_ index: Int, _ value: Value) {
        let i = Int32(index)
        switch value {
        case .null: sqlite3_bind_null(handle, i)
        case .int(let v): sqlite3_bind_int64(handle, i, v)
        case .double(let v): sqlite3_bind_double(handle, i, v)
        case .bool(let v): sqlite3_bind_int64(handle, i, v ? 1 : 0)
        case .text(let s): bind(index, s)
        }
    }

    /// Binds `cells[i]` to parameter `offset + positions[i] + 1`. Text is bound where it is, in
    /// the batch's `arena`, as `SQLITE_STATIC` (SQLite reads it during the step): no malloc, copy or
    /// retain per cell.
    func bind(_ cells: UnsafeBufferPointer<Cell>, arena text: UnsafeRawBufferPointer, at positions: [Int], offset: Int)
    {
        for (i, cell) in cells.enumerated() {
            let index = Int32(offset + positions[i] + 1)
            switch cell {
            case .text(let start, let count):
                let pointer = text.baseAddress.map { $0 + Int(start) }?.assumingMemoryBound(to: CChar.self)
                sqlite3_bind_text(
                    handle, index,
                    pointer ?? UnsafeRawPointer(Self.empty.utf8Start).assumingMemoryBound(to: CChar.self),
                    Int32(count), nil)
            case .null: sqlite3_bind_null(handle, index)
            case .int(let v): sqlite3_bind_int64(handle, index, v)
            case .double(let v): sqlite3_bind_double(handle, index, v)
            case .bool(let v): sqlite3_bind_int64(handle, index, v ? 1 : 0)
            }
        }
    }

    /// Where an empty text binds from when its batch has no arena bytes at all (not NULL, which
    /// SQLite would store as a null).
    private static let empty: StaticString = ""

    /// True while a row is available.
    func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw connection.error(rc, sql)
    }

    func run() throws(SQLiteError) {
        _ = try step()
        reset()
    }

    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// Runs a statement whose every parameter the caller binds before each run (`StagingInsert`):
    /// its bindings are left as they are.
    func runKeepingBindings() throws(SQLiteError) {
        _ = try step()
        sqlite3_reset(handle)
    }

    /// Binds NULL to parameter `position + 1` (`position` counts from 0).
    func bindNull(_ position: Int) { sqlite3_bind_null(handle, Int32(position + 1)) }

    func text(_ column: Int32) -> String? {
        guard sqlite3_column_type(handle, column) != SQLITE_NULL, let p = sqlite3_column_text(handle, column) else {
            return nil
        }
        return String(cString: p)
    }
}

import ConnectorKit

/// `"name"` with embedded quotes doubled.
func quoted(_ identifier: String) -> String {
    "\"" + identifier.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
}

extension DataType {
    /// Declared SQLite type (affinity follows from it).
    var sqliteType: String {
        switch self {
        case .bigint: return "INTEGER"
        case .double: return "REAL"
        // TEXT affinity (the name contains TEXT): SQLite would turn a numeric-looking text into a REAL.
        case .decimal: return "DECIMAL_TEXT"
        case .bool: return "BOOLEAN"
        case .text: return "TEXT"
        case .timestamp: return "TIMESTAMP"
        case .json: return "JSON"
        }
    }
}
