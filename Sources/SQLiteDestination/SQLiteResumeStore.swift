import ConnectorKit
import Foundation

/// Where a load stands, kept in the scratch database next to its staged rows: which load it
/// is, each resource's progress, each work item's next page, and the parent records children
/// resolve from. Written in the same transaction as the rows it describes.
struct SQLiteResumeStore {
    let connection: SQLiteConnection
    static let meta = "_connector_resume"
    static let progress = "_connector_progress"
    static let items = "_connector_items"
    static let parentRows = "_connector_parent_rows"
    /// How staged rows are laid out; a scratch database of another layout is not resumed (the
    /// load starts over). `item-rows`: merged tables' rows are mapped to their work items by
    /// rowid runs (`StagedItemRows`), not by a column.
    static let format = "item-rows"

    /// Starts an empty scratch database for load `loadId`.
    func begin(loadId: String, pipeline: String, fingerprint: String) throws {
        try connection.execute(
            """
            CREATE TABLE stg.\(Self.meta) (key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE stg.\(Self.progress) (resource TEXT PRIMARY KEY, progress JSON);
            CREATE TABLE stg.\(Self.items) (resource TEXT, key TEXT, progress JSON, PRIMARY KEY (resource, key));
            CREATE TABLE stg.\(Self.parentRows) (resource TEXT, row JSON);
            CREATE TABLE stg.\(StagedItemRows.table) (tbl TEXT NOT NULL, runs JSON NOT NULL);
            """)
        let insert = try connection.prepare("INSERT INTO stg.\(Self.meta) (key, value) VALUES (?, ?)")
        for (key, value) in [
            ("load_id", loadId), ("pipeline", pipeline), ("fingerprint", fingerprint), ("format", Self.format),
        ] {
            insert.bind(1, key)
            insert.bind(2, value)
            try insert.run()
        }
    }

    /// The load an earlier run left staged, if any.
    func stagedLoad() throws -> (loadId: String, pipeline: String, fingerprint: String)? {
        guard try connection.scalar("SELECT count(*) FROM stg.sqlite_master WHERE name = ?", [Self.meta]) == "1" else {
            return nil
        }
        var meta: [String: String] = [:]
        for row in try connection.rows("SELECT key, value FROM stg.\(Self.meta)").rows {
            if let k = row[0], let v = row[1] { meta[k] = v }
        }
        guard let loadId = meta["load_id"], let pipeline = meta["pipeline"], let fingerprint = meta["fingerprint"],
            meta["format"] == Self.format
        else { return nil }
        return (loadId, pipeline, fingerprint)
    }

    /// Staged data tables and their columns.
    func stagedTables() throws -> [String: [Column]] {
        var out: [String: [Column]] = [:]
        let names = try connection.rows(
            "SELECT name FROM stg.sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_connector\\_%' ESCAPE '\\'"
        ).rows
        for case let name? in names.map({ $0[0] }) {
            out[name] = try connection.rows("SELECT name, type FROM pragma_table_info(?, 'stg')", [name]).rows.map {
                Column(name: $0[0] ?? "", type: DataType.fromSQLite($0[1] ?? "TEXT"))
            }
        }
        return out
    }

    func resumePoint(loadId: String) throws -> ResumePoint {
        try CheckpointText.resumePoint(
            loadId: loadId,
            progress: try connection.rows("SELECT resource, progress FROM stg.\(Self.progress)").rows.compactMap { r in
                r[0].flatMap { name in r[1].map { (name, $0) } }
            },
            items: try connection.rows("SELECT resource, key, progress FROM stg.\(Self.items)").rows.compactMap { r in
                guard let name = r[0], let key = r[1], let json = r[2] else { return nil }
                return (name, key, json)
            },
            parentRows: try connection.rows("SELECT resource, row FROM stg.\(Self.parentRows) ORDER BY rowid").rows
                .compactMap { r in
                    r[0].flatMap { name in r[1].map { (name, $0) } }
                })
    }

    /// Saves a checkpoint; the caller's transaction makes it one with the rows.
    func save(_ checkpoint: Checkpoint) throws {
        let text = try CheckpointText.encode(checkpoint)
        let progress = try connection.prepare(
            "INSERT OR REPLACE INTO stg.\(Self.progress) (resource, progress) VALUES (?, ?)")
        progress.bind(1, checkpoint.resource)
        progress.bind(2, text.progress)
        try progress.run()
        if !text.items.isEmpty {
            let item = try connection.prepare(
                "INSERT OR REPLACE INTO stg.\(Self.items) (resource, key, progress) VALUES (?, ?, ?)")
            for (key, json) in text.items {
                item.bind(1, checkpoint.resource)
                item.bind(2, key)
                item.bind(3, json)
                try item.run()
            }
        }
        if !text.parentRows.isEmpty {
            let row = try connection.prepare("INSERT INTO stg.\(Self.parentRows) (resource, row) VALUES (?, ?)")
            for json in text.parentRows {
                row.bind(1, checkpoint.resource)
                row.bind(2, json)
                try row.run()
            }
        }
    }
}
