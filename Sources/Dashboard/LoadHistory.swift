import ConnectorKit

/// The load records of a dataset (`_connector_loads`), newest first, with each resource's detail.
struct LoadHistory: Sendable {
    typealias ResourceDetail = LoadDetails.ResourceDetail

    struct Load: Sendable {
        let id: String
        let status: String
        let rows: Int
        let startedAt: String
        let finishedAt: String
        let resources: [ResourceDetail]
    }

    let loads: [Load]

    static func read(_ dataset: any DatasetReader, limit: Int = 200) async throws -> LoadHistory {
        if let book = dataset as? any BookkeepingReader {
            // A destination without SQL (files) keeps its history in manifests.
            return LoadHistory(
                loads: try await book.loads(limit: limit).map { r in
                    Load(
                        id: r.loadId, status: r.status, rows: r.rows, startedAt: r.startedAt,
                        finishedAt: r.finishedAt, resources: decode([ResourceDetail].self, r.details) ?? [])
                })
        }
        let result = try await dataset.query(
            """
            SELECT load_id, status, rows, started_at, finished_at, details FROM \(BookkeepingTable.loads)
            ORDER BY finished_at DESC LIMIT \(limit)
            """)
        return LoadHistory(
            loads: result.rows.map { row in
                Load(
                    id: row[0] ?? "", status: row[1] ?? "", rows: Int(row[2] ?? "0") ?? 0, startedAt: row[3] ?? "",
                    finishedAt: row[4] ?? "", resources: decode([ResourceDetail].self, row[5]) ?? [])
            })
    }

    /// The newest load that wrote rows to `table`.
    func lastLoad(of table: String) -> Load? {
        loads.first { load in load.resources.contains { $0.rows[table] != nil } }
    }
}
