import ConnectorKit
import Foundation

/// The bookkeeping tables: loads, state and versioned schema, all written inside the load's
/// transaction.
enum SQLiteBookkeeping {
    static func create(_ connection: SQLiteConnection) throws {
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS main.\(BookkeepingTable.loads) (
                load_id TEXT PRIMARY KEY, pipeline TEXT NOT NULL, started_at TEXT, finished_at TEXT,
                status TEXT NOT NULL, rows INTEGER NOT NULL, details JSON);
            CREATE TABLE IF NOT EXISTS main.\(BookkeepingTable.state) (
                pipeline TEXT NOT NULL, resource TEXT NOT NULL, key TEXT NOT NULL, value TEXT,
                load_id TEXT, updated_at TEXT, PRIMARY KEY (pipeline, resource, key));
            CREATE TABLE IF NOT EXISTS main.\(BookkeepingTable.schema) (
                table_name TEXT NOT NULL, version INTEGER NOT NULL, resource TEXT, root_table TEXT,
                parent_table TEXT, disposition TEXT, primary_key JSON, columns JSON, load_id TEXT,
                PRIMARY KEY (table_name, version));
            """)
    }

    static func record(_ load: LoadSummary, connection: SQLiteConnection) throws {
        let s = try connection.prepare(
            "INSERT INTO main.\(BookkeepingTable.loads) (load_id, pipeline, started_at, finished_at, status, rows, details) VALUES (?, ?, ?, ?, ?, ?, ?)"
        )
        s.bind(1, load.loadId)
        s.bind(2, load.pipeline)
        s.bind(3, load.startedAt)
        s.bind(4, load.finishedAt)
        s.bind(5, load.status)
        s.bind(6, .int(Int64(load.publishedRows)))
        s.bind(7, LoadDetails.json(load))
        try s.run()
    }

    /// Stores a state change in `StateEncoding`'s form; the caller's transaction holds it.
    static func saveState(
        _ change: StateChange, resource: String, pipeline: String, loadId: String,
        connection: SQLiteConnection
    ) throws {
        let upsert = try connection.prepare(
            """
            INSERT INTO main.\(BookkeepingTable.state) (pipeline, resource, key, value, load_id, updated_at)
            VALUES (?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            ON CONFLICT (pipeline, resource, key) DO UPDATE SET value = excluded.value, load_id = excluded.load_id, updated_at = excluded.updated_at
            """)
        for (key, value) in change.storedEntries {
            upsert.bind(1, pipeline); upsert.bind(2, resource); upsert.bind(3, key)
            upsert.bind(4, value); upsert.bind(5, loadId)
            try upsert.run()
        }
        let delete = try connection.prepare(
            "DELETE FROM main.\(BookkeepingTable.state) WHERE pipeline = ? AND resource = ? AND key = ?")
        for key in change.storedRemovals {
            delete.bind(1, pipeline); delete.bind(2, resource); delete.bind(3, key)
            try delete.run()
        }
    }

    /// Adds a schema version when the table's columns differ from the latest recorded.
    static func recordSchema(_ table: TableSchema, columns: [Column], loadId: String, connection: SQLiteConnection)
        throws
    {
        let latest = try connection.rows(
            "SELECT version, columns FROM main.\(BookkeepingTable.schema) WHERE table_name = ? ORDER BY version DESC LIMIT 1",
            [table.name]
        ).rows.first
        let encoded = LoadDetails.encode(columns)
        if let latest, latest[1] == encoded { return }
        let version = (latest?[0].flatMap { Int($0) } ?? 0) + 1
        let s = try connection.prepare(
            "INSERT INTO main.\(BookkeepingTable.schema) (table_name, version, resource, root_table, parent_table, disposition, primary_key, columns, load_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        )
        s.bind(1, table.name); s.bind(2, .int(Int64(version))); s.bind(3, table.resource); s.bind(4, table.root)
        s.bind(5, table.parent); s.bind(6, table.disposition.rawValue); s.bind(7, LoadDetails.encode(table.primaryKey))
        s.bind(8, encoded); s.bind(9, loadId)
        try s.run()
    }
}
