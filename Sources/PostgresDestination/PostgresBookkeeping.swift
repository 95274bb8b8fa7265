import ConnectorKit
import PostgresNIO

/// Loads, state and versioned schema tables inside the dataset schema.
enum PostgresBookkeeping {
    static func create(_ c: PostgresConnection, dataset: String) async throws {
        let ds = PostgresSQL.quoted(dataset)
        try await c.run("CREATE SCHEMA IF NOT EXISTS \(ds)")
        try await c.run(
            """
            CREATE TABLE IF NOT EXISTS \(ds).\(BookkeepingTable.loads) (load_id text PRIMARY KEY, pipeline text NOT NULL,
            started_at text, finished_at text, status text NOT NULL, rows bigint NOT NULL, details jsonb)
            """)
        try await c.run(
            """
            CREATE TABLE IF NOT EXISTS \(ds).\(BookkeepingTable.state) (pipeline text NOT NULL, resource text NOT NULL,
            key text NOT NULL, value text, load_id text, updated_at timestamptz DEFAULT now(), PRIMARY KEY (pipeline, resource, key))
            """)
        try await c.run(
            """
            CREATE TABLE IF NOT EXISTS \(ds).\(BookkeepingTable.schema) (table_name text NOT NULL, version integer NOT NULL,
            resource text, root_table text, parent_table text, disposition text, primary_key text, columns text, load_id text,
            PRIMARY KEY (table_name, version))
            """)
    }

    static func record(_ load: LoadSummary, _ c: PostgresConnection, dataset: String) async throws {
        var b = PostgresBindings()
        b.append(load.loadId); b.append(load.pipeline); b.append(load.startedAt); b.append(load.finishedAt);
        b.append(load.status)
        b.append(Int64(load.publishedRows))
        b.append(LoadDetails.json(load))
        try await c.run(
            "INSERT INTO \(PostgresSQL.quoted(dataset)).\(BookkeepingTable.loads) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)",
            b)
    }

    /// Stores a state change in `StateEncoding`'s form, in the caller's transaction if any: one
    /// statement for its entries (a later entry of a key wins), one for its removals.
    static func saveState(
        _ change: StateChange, resource: String, pipeline: String, loadId: String,
        _ c: PostgresConnection, dataset: String
    ) async throws {
        let t = "\(PostgresSQL.quoted(dataset)).\(BookkeepingTable.state)"
        var latest: [String: String] = [:]
        var keys: [String] = []
        for (key, value) in change.storedEntries {
            if latest.updateValue(value, forKey: key) == nil { keys.append(key) }
        }
        if !keys.isEmpty {
            var b = PostgresBindings()
            b.append(pipeline); b.append(resource); b.append(keys); b.append(keys.map { latest[$0] ?? "" })
            b.append(loadId)
            try await c.run(
                """
                INSERT INTO \(t) (pipeline, resource, key, value, load_id, updated_at)
                SELECT $1, $2, k, v, $5, now() FROM unnest($3::text[], $4::text[]) AS u(k, v)
                ON CONFLICT (pipeline, resource, key) DO UPDATE SET value = excluded.value, load_id = excluded.load_id, updated_at = now()
                """, b)
        }
        let removals = change.storedRemovals
        if !removals.isEmpty {
            var b = PostgresBindings()
            b.append(pipeline); b.append(resource); b.append(removals)
            try await c.run("DELETE FROM \(t) WHERE pipeline = $1 AND resource = $2 AND key = ANY($3)", b)
        }
    }

    /// Each table's latest recorded schema version: its number and columns (JSON).
    static func latestSchemas(
        _ c: PostgresConnection, dataset: String
    ) async throws -> [String: (version: Int, columns: String)] {
        let rows = try await c.rows(
            "SELECT DISTINCT ON (table_name) table_name, version, columns FROM "
                + "\(PostgresSQL.quoted(dataset)).\(BookkeepingTable.schema) ORDER BY table_name, version DESC"
        ).rows
        var out: [String: (version: Int, columns: String)] = [:]
        for row in rows {
            guard let table = row[0], let version = row[1].flatMap({ Int($0) }) else { continue }
            out[table] = (version, row[2] ?? "")
        }
        return out
    }

    /// A new version of a table's recorded schema (a row of `BookkeepingTable.schema`).
    struct SchemaVersion: Sendable {
        var table: TableSchema
        var version: Int
        var columns: String
    }

    /// The version recording `columns` unless `latest` (`latestSchemas`) has them already.
    static func schemaVersion(
        _ table: TableSchema, columns: [Column], latest: (version: Int, columns: String)?
    ) -> SchemaVersion? {
        let encoded = LoadDetails.encode(columns)
        if let latest, latest.columns == encoded { return nil }
        return SchemaVersion(table: table, version: (latest?.version ?? 0) + 1, columns: encoded)
    }

    /// Records schema versions, all in one statement: a publish records one per table it changed.
    static func recordSchemas(
        _ versions: [SchemaVersion], loadId: String, _ c: PostgresConnection, dataset: String
    ) async throws {
        guard !versions.isEmpty else { return }
        var b = PostgresBindings()
        b.append(versions.map(\.table.name)); b.append(versions.map { Int32($0.version) })
        b.append(versions.map(\.table.resource)); b.append(versions.map(\.table.root))
        b.append(versions.map { $0.table.parent ?? "" }); b.append(versions.map(\.table.disposition.rawValue))
        b.append(versions.map { LoadDetails.encode($0.table.primaryKey) }); b.append(versions.map(\.columns))
        b.append(loadId)
        try await c.run(
            """
            INSERT INTO \(PostgresSQL.quoted(dataset)).\(BookkeepingTable.schema)
            SELECT t, v, r, rt, NULLIF(p, ''), d, pk, cols, $9
            FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
              AS u(t, v, r, rt, p, d, pk, cols)
            """, b)
    }
}
