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

    /// Stores a state change in `StateEncoding`'s form, in the caller's transaction if any.
    static func saveState(
        _ change: StateChange, resource: String, pipeline: String, loadId: String,
        _ c: PostgresConnection, dataset: String
    ) async throws {
        let t = "\(PostgresSQL.quoted(dataset)).\(BookkeepingTable.state)"
        for (key, value) in change.storedEntries {
            var b = PostgresBindings()
            b.append(pipeline); b.append(resource); b.append(key); b.append(value); b.append(loadId)
            try await c.run(
                """
                INSERT INTO \(t) (pipeline, resource, key, value, load_id, updated_at) VALUES ($1, $2, $3, $4, $5, now())
                ON CONFLICT (pipeline, resource, key) DO UPDATE SET value = excluded.value, load_id = excluded.load_id, updated_at = now()
                """, b)
        }
        for key in change.storedRemovals {
            var b = PostgresBindings()
            b.append(pipeline); b.append(resource); b.append(key)
            try await c.run("DELETE FROM \(t) WHERE pipeline = $1 AND resource = $2 AND key = $3", b)
        }
    }

    static func recordSchema(
        _ table: TableSchema, columns: [Column], loadId: String, _ c: PostgresConnection, dataset: String
    ) async throws {
        let t = "\(PostgresSQL.quoted(dataset)).\(BookkeepingTable.schema)"
        var q = PostgresBindings()
        q.append(table.name)
        let latest = try await c.rows(
            "SELECT version, columns FROM \(t) WHERE table_name = $1 ORDER BY version DESC LIMIT 1", q
        ).rows.first
        let encoded = LoadDetails.encode(columns)
        if let latest, latest[1] == encoded { return }
        var b = PostgresBindings()
        b.append(table.name); b.append(Int32((latest?[0].flatMap { Int($0) } ?? 0) + 1)); b.append(table.resource);
        b.append(table.root)
        b.append(table.parent); b.append(table.disposition.rawValue); b.append(LoadDetails.encode(table.primaryKey));
        b.append(encoded); b.append(loadId)
        try await c.run("INSERT INTO \(t) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)", b)
    }
}
