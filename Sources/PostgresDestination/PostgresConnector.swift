import ConnectorKit
import Foundation
import Logging
import PostgresNIO

/// Opens connections from a `postgres://user:password@host:port/database?sslmode=…` URL.
struct PostgresConnector: Sendable {
    let configuration: PostgresConnection.Configuration
    let redactedURL: String

    init(url: String) throws {
        guard let components = URLComponents(string: url),
            ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host
        else {
            throw PostgresDestinationError(
                "the url must look like postgres://user:password@host:5432/database (sslmode=disable|require in the query)"
            )
        }
        let sslmode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        let tls: PostgresConnection.Configuration.TLS
        switch sslmode {
        case "disable": tls = .disable
        case "require", "verify-full", "verify-ca":
            tls = .require(try .init(configuration: sslmode == "require" ? Self.noVerify : .makeClientConfiguration()))
        default: tls = .prefer(try .init(configuration: Self.noVerify))
        }
        let database = components.path.split(separator: "/").first.map(String.init)
        configuration = .init(
            host: host, port: components.port ?? 5432, username: components.user ?? "postgres",
            password: components.password, database: database, tls: tls)
        var shown = components
        if shown.password != nil { shown.password = "***" }
        redactedURL = shown.string ?? "postgres://\(host)"
    }

    static var noVerify: TLSConfiguration {
        var c = TLSConfiguration.makeClientConfiguration()
        c.certificateVerification = .none
        return c
    }

    static let logger = Logger(label: "connector.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    func connect() async throws -> PostgresConnection {
        do {
            return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Self.logger)
        } catch {
            throw PostgresDestinationError("cannot connect to \(redactedURL): \(String(reflecting: error))")
        }
    }
}

/// A PostgreSQL destination failure, with the statement when there is one.
public struct PostgresDestinationError: Error, CustomStringConvertible, Sendable {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension PostgresConnection {
    /// Runs one statement, discarding rows.
    func run(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) async throws {
        do {
            let rows = try await query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: PostgresConnector.logger)
            for try await _ in rows {}
        } catch let error as PSQLError {
            throw PostgresDestinationError(
                "\(error.serverInfo?[.message] ?? String(reflecting: error)) in: \(sql.prefix(300))")
        }
    }

    /// Runs a CREATE UNIQUE INDEX: false when a key repeats (SQLSTATE 23505), any other failure thrown.
    /// In a transaction, the failure aborts it: the caller runs this under a savepoint.
    func buildsUnique(_ sql: String) async throws -> Bool {
        do {
            let rows = try await query(PostgresQuery(unsafeSQL: sql), logger: PostgresConnector.logger)
            for try await _ in rows {}
            return true
        } catch let error as PSQLError {
            if error.serverInfo?[.sqlState] == "23505" { return false }
            throw PostgresDestinationError(
                "\(error.serverInfo?[.message] ?? String(reflecting: error)) in: \(sql.prefix(300))")
        }
    }

    /// Whether a relation of that (schema-qualified, quoted) name exists.
    func relationExists(_ qualifiedName: String) async throws -> Bool {
        var b = PostgresBindings()
        b.append(qualifiedName)
        return try await rows("SELECT to_regclass($1) IS NOT NULL", b).rows.first?.first == "true"
    }

    /// Every row as text.
    func rows(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) async throws -> (
        columns: [String], rows: [[String?]]
    ) {
        do {
            let result = try await query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: PostgresConnector.logger)
            var columns: [String] = []
            var out: [[String?]] = []
            for try await row in result {
                let cells = Array(row)
                if columns.isEmpty { columns = cells.map(\.columnName) }
                out.append(cells.map(Self.text))
            }
            return (columns, out)
        } catch let error as PSQLError {
            throw PostgresDestinationError(
                "\(error.serverInfo?[.message] ?? String(reflecting: error)) in: \(sql.prefix(300))")
        }
    }

    static func text(_ cell: PostgresCell) -> String? {
        guard var bytes = cell.bytes else { return nil }
        switch cell.dataType {
        case .int2, .int4, .int8: return (try? cell.decode(Int64.self)).map { String($0) }
        case .float4, .float8: return (try? cell.decode(Double.self)).map { "\($0)" }
        case .numeric:
            // Exactly (Foundation's Decimal keeps 38 digits): numeric columns hold numbers past 2^64.
            if cell.format == .text { return bytes.readString(length: bytes.readableBytes) }
            return PostgresData(type: .numeric, formatCode: .binary, value: bytes).numeric?.string
        case .bool: return (try? cell.decode(Bool.self)).map { $0 ? "true" : "false" }
        case .timestamptz, .timestamp:
            return (try? cell.decode(Date.self)).map { ISO8601DateFormatter.full.string(from: $0) }
        case .jsonb:
            if cell.format == .binary { bytes.moveReaderIndex(forwardBy: 1) }
            return bytes.readString(length: bytes.readableBytes)
        default:
            return (try? cell.decode(String.self)) ?? bytes.readString(length: bytes.readableBytes)
        }
    }
}

extension ISO8601DateFormatter {
    nonisolated(unsafe) static let full: ISO8601DateFormatter = {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }()
}
