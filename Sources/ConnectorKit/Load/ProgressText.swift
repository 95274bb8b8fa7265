import Foundation

/// A resource's progress as checkpoint JSON, the form `JSONDecoder` reads back as
/// `ResourceProgress`. Its table schemas are most of it and rarely change between two flushes of
/// a resource, yet were encoded again at every flush (~2 % of a run's instructions): the last
/// encoding per resource is kept and reused while the schemas are equal.
enum ProgressText {
    /// The counters and positions: `ResourceProgress` without its tables. A field added there must
    /// be added here (`ProgressTextTests` compares the two lists of properties) and to
    /// `CheckpointJSON.counters`, which writes them (the same test reads its text back).
    struct Counters {
        var rows: [String: Int]
        var cursors: [String: String]
        var pages: Int
        var sequence: Int
        var schemaChanges: [String]
    }

    private static let lastTables = LockedBox<[String: (tables: [TableSchema], json: String)]>([:])

    static func encode(_ progress: ResourceProgress, of resource: String) -> String {
        let tables = tablesJSON(progress.tables, of: resource)
        let counters = Counters(
            rows: progress.rows, cursors: progress.cursors, pages: progress.pages, sequence: progress.sequence,
            schemaChanges: progress.schemaChanges)
        let rest = CheckpointJSON.counters(counters)
        // `rest` is a non-empty object (it always has `pages`): splice the tables in as its first key.
        return "{\"tables\":" + tables + "," + rest.dropFirst()
    }

    private static func tablesJSON(_ tables: [TableSchema], of resource: String) -> String {
        if let last = lastTables.withLock({ $0[resource] }), last.tables == tables { return last.json }
        let json = CheckpointJSON.tables(tables)
        lastTables.withLock { $0[resource] = (tables, json) }
        return json
    }
}
