import ConnectorKit
import PostgresNIO

/// Where a load stands, kept in the staging schema next to its staged rows (see
/// `CheckpointText`) and written in the same transaction as the rows it describes.
///
/// One unlogged table, `_connector_checkpoint`, holds rows of four kinds: the load's identity
/// (`meta`: load id, pipeline, fingerprint), each resource's progress, its moved work items, and
/// the parent rows its children read (numbered per resource by `key`, in the order saved). One
/// table, not one per kind: each table is files the server creates at every load (heap, TOAST
/// table and index, primary key, and as an unlogged table an init fork of each), and four tables
/// were most of a small load's start. The load's first write creates it (`begin`): a load that
/// stages nothing creates none, and one killed before its first write has nothing to resume.
struct PostgresResumeStore {
    let connection: PostgresConnection
    let staging: String
    static let table = "_connector_checkpoint"

    private enum Kind {
        static let meta = "meta"
        static let progress = "progress"
        static let item = "item"
        static let parent = "parent"
    }

    private var qualified: String { "\(PostgresSQL.quoted(staging)).\(Self.table)" }

    /// Creates the table and records the load's identity, in the caller's transaction.
    func begin(loadId: String, pipeline: String, fingerprint: String) async throws {
        try await connection.run(
            "CREATE UNLOGGED TABLE \(qualified) (kind text, resource text, key text COLLATE \"C\", value text, "
                + "PRIMARY KEY (kind, resource, key))")
        var b = PostgresBindings()
        b.append(loadId); b.append(pipeline); b.append(fingerprint)
        try await connection.run(
            "INSERT INTO \(qualified) (kind, resource, key, value) VALUES ('\(Kind.meta)', '', 'load_id', $1), "
                + "('\(Kind.meta)', '', 'pipeline', $2), ('\(Kind.meta)', '', 'fingerprint', $3)", b)
    }

    func stagedLoad() async throws -> (loadId: String, pipeline: String, fingerprint: String)? {
        guard try await connection.relationExists(qualified) else { return nil }
        var meta: [String: String] = [:]
        for row in try await connection.rows("SELECT key, value FROM \(qualified) WHERE kind = '\(Kind.meta)'").rows {
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
        var progress: [(String, String)] = []
        var items: [(String, String, String)] = []
        var parentRows: [(String, String)] = []
        let rows = try await connection.rows(
            "SELECT kind, resource, key, value FROM \(qualified) WHERE kind <> '\(Kind.meta)' ORDER BY kind, resource, key"
        ).rows
        for row in rows {
            guard let kind = row[0], let resource = row[1], let key = row[2], let value = row[3] else { continue }
            switch kind {
            case Kind.progress: progress.append((resource, value))
            case Kind.item: items.append((resource, key, value))
            case Kind.parent: parentRows.append((resource, value))
            default: continue
            }
        }
        return try CheckpointText.resumePoint(loadId: loadId, progress: progress, items: items, parentRows: parentRows)
    }

    /// Saves a checkpoint; the caller's transaction makes it one with the rows.
    func save(_ checkpoint: Checkpoint) async throws {
        let text = try CheckpointText.encode(checkpoint)
        var b = PostgresBindings()
        b.append(checkpoint.resource); b.append(text.progress)
        try await connection.run(
            """
            INSERT INTO \(qualified) (kind, resource, key, value) VALUES ('\(Kind.progress)', $1, '', $2)
            ON CONFLICT (kind, resource, key) DO UPDATE SET value = excluded.value
            """, b)
        if !text.items.isEmpty {
            var binds = PostgresBindings()
            binds.append(checkpoint.resource); binds.append(text.items.map(\.key)); binds.append(text.items.map(\.json))
            try await connection.run(
                """
                INSERT INTO \(qualified) (kind, resource, key, value)
                SELECT '\(Kind.item)', $1::text, * FROM unnest($2::text[], $3::text[])
                ON CONFLICT (kind, resource, key) DO UPDATE SET value = excluded.value
                """, binds)
        }
        if !text.parentRows.isEmpty {
            // Numbered after the resource's last saved row, zero-padded: byte order is saving order.
            var binds = PostgresBindings()
            binds.append(checkpoint.resource); binds.append(text.parentRows)
            try await connection.run(
                """
                INSERT INTO \(qualified) (kind, resource, key, value)
                SELECT '\(Kind.parent)', $1::text, lpad((saved.last + u.n)::text, 19, '0'), u.row
                FROM unnest($2::text[]) WITH ORDINALITY AS u(row, n),
                  (SELECT coalesce(max(key)::bigint, 0) AS last FROM \(qualified)
                   WHERE kind = '\(Kind.parent)' AND resource = $1::text) AS saved
                """, binds)
        }
    }
}
