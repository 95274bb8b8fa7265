import ConnectorKit
import Foundation
import PostgresNIO

/// PostgreSQL (and servers that speak its protocol): one schema per dataset (`{pipeline}` by
/// default). Rows are staged in unlogged tables of a scratch schema and published with the
/// state and the load record in one transaction.
public struct PostgresDestination: Destination {
    public let name: String
    let connector: PostgresConnector
    /// Schema name template; `{pipeline}` is replaced by the pipeline name.
    public let datasetTemplate: String
    /// Which share of the units this destination's loads carry: loads of different lanes
    /// (`WorkScope.lane`; "" for all) stage apart and run at once; loads of one lane take turns.
    /// Their leases record it, so that a run taking over a lane runs the same units.
    public var scope = WorkScope.all
    public var lane: String { scope.lane }
    /// A connection that already holds the lane's lock and lease (`claim`): the next load uses it.
    var claimed: PostgresConnection?

    public init(name: String = "postgres", url: String, dataset: String = "{pipeline}") throws {
        self.name = name
        connector = try PostgresConnector(url: url)
        datasetTemplate = dataset
    }

    public init(spec: DestinationSpec) throws {
        guard let url = spec.options["url"] else {
            throw PostgresDestinationError(
                "\(spec.location): destination '\(spec.name)' needs 'url' (for example url: ${CONNECTOR_POSTGRES_URL})")
        }
        try self.init(
            name: spec.name, url: try url.required("url of destination '\(spec.name)'"),
            dataset: spec.options["dataset"]?.value ?? "{pipeline}")
    }

    public var capabilities: DestinationCapabilities {
        DestinationCapabilities(
            types: Dictionary(uniqueKeysWithValues: DataType.allCases.map { ($0, PostgresSQL.type($0)) }),
            maxIdentifierLength: 63, transactionalDDL: true, mergeStrategy: .deleteInsert, supportsSQL: true,
            resumesKilledLoads: true)
    }

    public func dataset(for pipeline: String) -> String {
        datasetTemplate.replacingOccurrences(of: "{pipeline}", with: pipeline)
    }

    public func beginLoad(pipeline: String, loadId: String) async throws -> any LoadSession {
        let connection: PostgresConnection
        if let claimed { connection = claimed } else { connection = try await connector.connect() }
        do {
            return try await PostgresLoadSession(
                connection: connection, dataset: dataset(for: pipeline), pipeline: pipeline, loadId: loadId,
                scope: scope, claimed: claimed != nil, connector: connector)
        } catch {
            try? await connection.close()
            throw error
        }
    }

    public func openDataset(pipeline: String) async throws -> any DatasetReader {
        PostgresDatasetReader(connection: try await connector.connect(), dataset: dataset(for: pipeline))
    }

    public func resetState(pipeline: String, resource: String?) async throws -> Int {
        let connection = try await connector.connect()
        defer { Task { try? await connection.close() } }
        let ds = PostgresSQL.quoted(dataset(for: pipeline))
        try await PostgresBookkeeping.create(connection, dataset: dataset(for: pipeline))
        var binds = PostgresBindings()
        binds.append(pipeline)
        var sql = "DELETE FROM \(ds).\(BookkeepingTable.state) WHERE pipeline = $1"
        if let resource { binds.append(resource); sql += " AND resource = $2" }
        return try await connection.rows(sql + " RETURNING key", binds).rows.count
    }
}

/// Read access to one dataset; queries run with the dataset schema first on the search path.
final class PostgresDatasetReader: DatasetReader, Sendable {
    let connection: PostgresConnection
    let dataset: String

    init(connection: PostgresConnection, dataset: String) {
        self.connection = connection
        self.dataset = dataset
    }

    func tables() async throws -> [(name: String, rows: Int)] {
        var binds = PostgresBindings()
        binds.append(dataset)
        let names = try await connection.rows(
            """
            SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'
            AND table_name NOT LIKE '\\_connector\\_%' ORDER BY table_name
            """, binds
        ).rows.compactMap { $0.first ?? nil }
        var out: [(String, Int)] = []
        for n in names {
            let count =
                try await connection.rows(
                    "SELECT count(*) FROM \(PostgresSQL.quoted(dataset)).\(PostgresSQL.quoted(n))"
                ).rows.first?.first ?? "0"
            out.append((n, Int(count ?? "0") ?? 0))
        }
        return out
    }

    func query(_ sql: String) async throws -> QueryResult {
        try await connection.run("SET search_path TO \(PostgresSQL.quoted(dataset)), public")
        let r = try await connection.rows(sql)
        return QueryResult(columns: r.columns, rows: r.rows)
    }

    func close() async { try? await connection.close() }
}
