import ConnectorKit
import Foundation
import PostgresNIO

/// Leases on lanes (a shard's or a partition's share of a pipeline's units), kept in
/// `<dataset>._connector_leases`, one row per lane while a load of it is in flight:
/// - a load writes its lane's row when it starts (after taking the lane's session advisory
///   lock), renews it with every staged batch, and deletes it in its publish transaction —
///   only if it still holds the lease, or the publish rolls back;
/// - a row left behind means a load that died before publishing (a failed load drops its row
///   with its staging). Another run may adopt that lane (`claim`) once nobody holds the lane's
///   lock (the dead process's connection is gone) and the row is older than the run asks.
/// The database's clock dates every row, so the hosts' clocks do not matter.
enum PostgresLeases {
    static let table = "_connector_leases"

    /// Who holds a lease: this process (host, process id and a random part, for people reading the row).
    static let holder: String = {
        let host = ProcessInfo.processInfo.hostName
        return "\(host):\(ProcessInfo.processInfo.processIdentifier):\(UUID().uuidString.prefix(8).lowercased())"
    }()

    static func qualified(_ dataset: String) -> String { "\(PostgresSQL.quoted(dataset)).\(table)" }

    /// Creates the table (inside the caller's schema-creation transaction).
    static func create(_ connection: PostgresConnection, dataset: String) async throws {
        try await connection.run(
            """
            CREATE TABLE IF NOT EXISTS \(qualified(dataset)) (lane text PRIMARY KEY, pipeline text NOT NULL,
            shard text, partitions text NOT NULL, holder text NOT NULL, load_id text NOT NULL,
            renewed_at timestamptz NOT NULL)
            """)
    }

    /// Takes the lease of `lane` for this process (its session lock is held: any earlier holder is gone).
    static func hold(
        _ scope: WorkScope, pipeline: String, loadId: String, dataset: String, _ connection: PostgresConnection
    ) async throws {
        var b = PostgresBindings()
        b.append(scope.lane); b.append(pipeline); b.append(scope.shard?.description); b.append(scope.partitionsText)
        b.append(holder); b.append(loadId)
        try await connection.run(
            """
            INSERT INTO \(qualified(dataset)) (lane, pipeline, shard, partitions, holder, load_id, renewed_at)
            VALUES ($1, $2, $3, $4, $5, $6, now()) ON CONFLICT (lane) DO UPDATE SET pipeline = excluded.pipeline,
            shard = excluded.shard, partitions = excluded.partitions, holder = excluded.holder,
            load_id = excluded.load_id, renewed_at = now()
            """, b)
    }

    /// Renews the lease (in the caller's transaction); fails when another run took it over.
    static func renew(lane: String, loadId: String, dataset: String, _ connection: PostgresConnection) async throws {
        var b = PostgresBindings()
        b.append(lane); b.append(holder); b.append(loadId)
        let kept = try await connection.rows(
            "UPDATE \(qualified(dataset)) SET renewed_at = now(), load_id = $3 WHERE lane = $1 AND holder = $2 "
                + "RETURNING lane", b)
        guard !kept.rows.isEmpty else { throw lost(lane, dataset) }
    }

    /// Ends the lease. In the publish transaction `required` is true: a load whose lease is no
    /// longer its own does not publish (the run that took it over does).
    static func release(lane: String, dataset: String, required: Bool, _ connection: PostgresConnection)
        async throws
    {
        var b = PostgresBindings()
        b.append(lane); b.append(holder)
        let released = try await connection.rows(
            "DELETE FROM \(qualified(dataset)) WHERE lane = $1 AND holder = $2 RETURNING lane", b)
        if required && released.rows.isEmpty { throw lost(lane, dataset) }
    }

    private static func lost(_ lane: String, _ dataset: String) -> PostgresDestinationError {
        PostgresDestinationError(
            "the lease of lane '\(lane)' in dataset '\(dataset)' is no longer this run's: another run took it over "
                + "(--take-over-after); this load does not publish")
    }
}

extension WorkScope {
    /// The partitions as a lease row keeps them (a JSON object).
    var partitionsText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(partitions)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The scope a lease row describes (`shard` as `I/N`).
    init(leased shard: String?, partitionsText: String) throws {
        let partitions = (try? JSONDecoder().decode([String: String].self, from: Data(partitionsText.utf8))) ?? [:]
        self.init(shard: try shard.map { try Shard.parse($0, environment: [:]) }, partitions: partitions)
    }
}
