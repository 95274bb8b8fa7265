import ConnectorKit
import Foundation

/// The embedded default: one SQLite file per pipeline (`data/{pipeline}.sqlite`).
public struct SQLiteDestination: Destination {
    public let name: String
    /// Path template; `{pipeline}` is replaced by the pipeline name.
    public let pathTemplate: String

    public init(name: String = "sqlite", pathTemplate: String = "data/{pipeline}.sqlite") {
        self.name = name
        self.pathTemplate = pathTemplate
    }

    public init(spec: DestinationSpec) {
        self.init(name: spec.name, pathTemplate: spec.options["path"]?.value ?? "data/{pipeline}.sqlite")
    }

    public var capabilities: DestinationCapabilities {
        DestinationCapabilities(
            types: Dictionary(uniqueKeysWithValues: DataType.allCases.map { ($0, $0.sqliteType) }),
            maxIdentifierLength: nil, transactionalDDL: true, mergeStrategy: .deleteInsert, supportsSQL: true, resumesKilledLoads: true)
    }

    public func path(for pipeline: String) -> String {
        pathTemplate.replacingOccurrences(of: "{pipeline}", with: pipeline)
    }

    public func beginLoad(pipeline: String, loadId: String) async throws -> any LoadSession {
        let path = path(for: pipeline)
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        return try SQLiteLoadSession(path: path, pipeline: pipeline, loadId: loadId)
    }

    public func resetState(pipeline: String, resource: String?) async throws -> Int {
        let path = path(for: pipeline)
        guard FileManager.default.fileExists(atPath: path) else { return 0 }
        let connection = try SQLiteConnection(path: path)
        try SQLiteBookkeeping.create(connection)
        let filter = resource == nil ? "" : " AND resource = ?"
        let before =
            Int(
                try connection.scalar(
                    "SELECT count(*) FROM \(BookkeepingTable.state) WHERE pipeline = ?" + filter,
                    [pipeline, resource].compactMap { $0 }) ?? "0") ?? 0
        let delete = try connection.prepare("DELETE FROM \(BookkeepingTable.state) WHERE pipeline = ?" + filter)
        delete.bind(1, pipeline)
        if let resource { delete.bind(2, resource) }
        try delete.run()
        return before
    }

    public func openDataset(pipeline: String) async throws -> any DatasetReader {
        let path = path(for: pipeline)
        guard FileManager.default.fileExists(atPath: path) else {
            throw SQLiteError(
                code: 14,
                message:
                    "no data loaded yet for pipeline '\(pipeline)' (\(path) does not exist); run `connector run \(pipeline)` first",
                sql: nil)
        }
        return try SQLiteDatasetReader(path: path)
    }
}

/// Read access to a pipeline's SQLite file.
final class SQLiteDatasetReader: DatasetReader, @unchecked Sendable {
    private let connection: SQLiteConnection
    private let lock = NSLock()
    /// The file, for read-only connections of their own (`readOnlyQuery`).
    let path: String

    init(path: String) throws {
        self.path = path
        connection = try SQLiteConnection(path: path)
    }

    func tables() async throws -> [(name: String, rows: Int)] {
        try lock.withLock {
            let names = try connection.rows(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_connector\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            ).rows.compactMap { $0.first ?? nil }
            return try names.map { name in
                (name, Int(try connection.scalar("SELECT count(*) FROM \(quoted(name))") ?? "0") ?? 0)
            }
        }
    }

    func query(_ sql: String) async throws -> QueryResult {
        try lock.withLock {
            let r = try connection.rows(sql)
            return QueryResult(columns: r.columns, rows: r.rows)
        }
    }

    func close() async {}
}
