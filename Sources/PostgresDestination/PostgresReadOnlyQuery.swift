import ConnectorKit
import PostgresNIO

extension PostgresDatasetReader: ReadOnlyQuerying {
    /// Runs `sql` inside a `READ ONLY` transaction that is always rolled back, so the server
    /// itself refuses a write (SQLSTATE 25006) and even a `SET` does not outlive the query.
    func readOnlyQuery(_ sql: String, maxRows: Int) async throws -> ReadOnlyResult {
        // A READ ONLY transaction still lets COPY … TO a file or PROGRAM through (as superuser):
        // only statements that read are sent at all.
        let first = Self.firstWord(sql)
        guard Self.readingStatements.contains(first) else {
            throw WriteRefused(
                detail: "only \(Self.readingStatements.sorted().joined(separator: ", ")) run here, not \(first)")
        }
        try await connection.run("BEGIN READ ONLY")
        do {
            try await connection.run("SET LOCAL search_path TO \(PostgresSQL.quoted(dataset)), public")
            try await connection.run("SET LOCAL statement_timeout = '30s'")
            let result = try await boundedRows(sql, maxRows: maxRows)
            try await connection.run("ROLLBACK")
            return result
        } catch {
            try? await connection.run("ROLLBACK")
            throw error
        }
    }

    static let readingStatements: Set<String> = ["SELECT", "WITH", "VALUES", "TABLE", "EXPLAIN", "SHOW"]

    /// The statement's first keyword, upper-cased, after blanks, comments and opening parentheses.
    static func firstWord(_ sql: String) -> String {
        var rest = Substring(sql)
        while true {
            rest = rest.drop { $0.isWhitespace || $0 == "(" }
            if rest.hasPrefix("--") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*"), let end = rest.range(of: "*/") {
                rest = rest[end.upperBound...]
            } else {
                break
            }
        }
        return rest.prefix { $0.isLetter }.uppercased()
    }

    private func boundedRows(_ sql: String, maxRows: Int) async throws -> ReadOnlyResult {
        do {
            let sequence = try await connection.query(
                PostgresQuery(unsafeSQL: sql), logger: PostgresConnector.logger)
            var columns: [String] = []
            var rows: [[String?]] = []
            for try await row in sequence {
                let cells = Array(row)
                if columns.isEmpty { columns = cells.map(\.columnName) }
                if rows.count == maxRows {
                    return ReadOnlyResult(result: .init(columns: columns, rows: rows), truncated: true)
                }
                rows.append(cells.map(PostgresConnection.text))
            }
            return ReadOnlyResult(result: QueryResult(columns: columns, rows: rows), truncated: false)
        } catch let error as PSQLError {
            let message = error.serverInfo?[.message] ?? String(reflecting: error)
            if error.serverInfo?[.sqlState] == "25006" { throw WriteRefused(detail: "PostgreSQL: \(message)") }
            throw PostgresDestinationError(message)
        }
    }
}
