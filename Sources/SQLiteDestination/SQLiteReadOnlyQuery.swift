import CSQLite
import ConnectorKit

extension SQLiteDatasetReader: ReadOnlyQuerying {
    /// Runs `sql` on a connection of its own opened read-only, so SQLite itself refuses a write;
    /// a statement SQLite knows would write is refused before it runs, with a clearer message.
    func readOnlyQuery(_ sql: String, maxRows: Int) async throws -> ReadOnlyResult {
        let connection = try SQLiteConnection(path: path, readOnly: true)
        let statement = try connection.prepare(sql)
        guard sqlite3_stmt_readonly(statement.handle) != 0 else {
            throw WriteRefused(detail: "SQLite: the statement writes")
        }
        do {
            return try Self.rows(statement, maxRows: maxRows)
        } catch {
            if error.code == SQLITE_READONLY { throw WriteRefused(detail: "SQLite: \(error.message)") }
            throw error
        }
    }

    private static func rows(_ statement: SQLiteStatement, maxRows: Int) throws(SQLiteError) -> ReadOnlyResult {
        let count = sqlite3_column_count(statement.handle)
        let columns = (0..<count).map { String(cString: sqlite3_column_name(statement.handle, $0)) }
        var rows: [[String?]] = []
        while try statement.step() {
            if rows.count == maxRows {
                return ReadOnlyResult(result: .init(columns: columns, rows: rows), truncated: true)
            }
            rows.append((0..<count).map { statement.text($0) })
        }
        return ReadOnlyResult(result: QueryResult(columns: columns, rows: rows), truncated: false)
    }
}
