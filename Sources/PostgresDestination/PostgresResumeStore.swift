import ConnectorKit
import PostgresNIO

/// Where a load stands, kept in the staging schema next to its staged rows (see
/// `CheckpointText`); written in the same transaction as the rows it describes.
struct PostgresResumeStore {
    let connection: PostgresConnection
    let staging: String
    static let meta = "_connector_resume"
    static let progress = "_connector_progress"
    static let items = "_connector_items"
    static let parentRows = "_connector_parent_rows"

    private func table(_ name: String) -> String { "\(PostgresSQL.quoted(staging)).\(name)" }

    func begin(loadId: String, pipeline: String, fingerprint: String) async throws {
        try await connection.run("CREATE UNLOGGED TABLE \(table(Self.meta)) (key text PRIMARY KEY, value text)")
        try await connection.run(
            "CREATE UNLOGGED TABLE \(table(Self.progress)) (resource text PRIMARY KEY, progress text)")
        try await connection.run(
            "CREATE UNLOGGED TABLE \(table(Self.items)) (resource text, key text, progress text, PRIMARY KEY (resource, key))"
        )
        try await connection.run(
            "CREATE UNLOGGED TABLE \(table(Self.parentRows)) (seq bigserial, resource text, row text)")
        var b = PostgresBindings()
        b.append(loadId); b.append(pipeline); b.append(fingerprint)
        try await connection.run(
            "INSERT INTO \(table(Self.meta)) (key, value) VALUES ('load_id', $1), ('pipeline', $2), ('fingerprint', $3)",
            b)
    }

    func stagedLoad() async throws -> (loadId: String, pipeline: String, fingerprint: String)? {
        guard try await connection.relationExists(table(Self.meta)) else { return nil }
        var meta: [String: String] = [:]
        for row in try await connection.rows("SELECT key, value FROM \(table(Self.meta))").rows {
            if let k = row[0], let v = row[1] { meta[k] = v }
        }
        guard let loadId = meta["load_id"], let pipeline = meta["pipeline"], let fingerprint = meta["fingerprint"]
        else { return nil }
        return (loadId, pipeline, fingerprint)
    }

    /// The tables the checkpoints name that were staged (one may have had no rows yet), with
    /// the columns they have.
    func stagedTables(types known: [String: [Column]]) async throws -> [String: [Column]] {
        var b = PostgresBindings()
        b.append(staging)
        let r = try await connection.rows(
            """
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = $1 AND column_name <> '_stg_seq' AND table_name NOT LIKE '\\_connector\\_%'
            ORDER BY table_name, ordinal_position
            """, b)
        var present: [String: Set<String>] = [:]
        for row in r.rows { if let table = row[0], let column = row[1] { present[table, default: []].insert(column) } }
        // Names as the engine knows them; the database may hold shortened ones.
        var out: [String: [Column]] = [:]
        for (table, columns) in known {
            guard let have = present[PostgresSQL.identifier(table)] else { continue }
            out[table] = columns.filter { have.contains(PostgresSQL.identifier($0.name)) }
        }
        return out
    }

    func resumePoint(loadId: String) async throws -> ResumePoint {
        try CheckpointText.resumePoint(
            loadId: loadId,
            progress: try await connection.rows("SELECT resource, progress FROM \(table(Self.progress))").rows
                .compactMap { r in
                    r[0].flatMap { name in r[1].map { (name, $0) } }
                },
            items: try await connection.rows("SELECT resource, key, progress FROM \(table(Self.items))").rows.compactMap
            { r in
                guard let name = r[0], let key = r[1], let json = r[2] else { return nil }
                return (name, key, json)
            },
            parentRows: try await connection.rows("SELECT resource, row FROM \(table(Self.parentRows)) ORDER BY seq")
                .rows.compactMap { r in
                    r[0].flatMap { name in r[1].map { (name, $0) } }
                })
    }

    /// Saves a checkpoint; the caller's transaction makes it one with the rows.
    func save(_ checkpoint: Checkpoint) async throws {
        let text = try CheckpointText.encode(checkpoint)
        var b = PostgresBindings()
        b.append(checkpoint.resource); b.append(text.progress)
        try await connection.run(
            """
            INSERT INTO \(table(Self.progress)) (resource, progress) VALUES ($1, $2)
            ON CONFLICT (resource) DO UPDATE SET progress = excluded.progress
            """, b)
        try await insert(
            into: Self.items, resource: checkpoint.resource, columns: ["key", "progress"],
            values: [text.items.map(\.key), text.items.map(\.json)],
            conflict: "ON CONFLICT (resource, key) DO UPDATE SET progress = excluded.progress")
        try await insert(
            into: Self.parentRows, resource: checkpoint.resource, columns: ["row"], values: [text.parentRows],
            conflict: "")
    }

    /// One INSERT of every row, each column bound as one array (`unnest`, in order): a list of
    /// rows costs the server a parse of thousands of parameters.
    private func insert(
        into name: String, resource: String, columns: [String], values: [[String]], conflict: String
    ) async throws {
        guard let first = values.first, !first.isEmpty else { return }
        var binds = PostgresBindings()
        binds.append(resource)
        for column in values { binds.append(column) }
        let arrays = values.indices.map { "$\($0 + 2)::text[]" }.joined(separator: ", ")
        try await connection.run(
            "INSERT INTO \(table(name)) (resource, \(columns.joined(separator: ", "))) "
                + "SELECT $1::text, * FROM unnest(\(arrays)) \(conflict)", binds)
    }
}
