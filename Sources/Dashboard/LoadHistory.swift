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
        LoadHistory(
            loads: try await Bookkeeping.loads(dataset, limit: limit).map { r in
                Load(
                    id: r.loadId, status: r.status, rows: r.rows, startedAt: r.startedAt, finishedAt: r.finishedAt,
                    resources: decode([ResourceDetail].self, r.details) ?? [])
            })
    }

    /// The newest load that wrote rows to `table`.
    func lastLoad(of table: String) -> Load? {
        loads.first { load in load.resources.contains { $0.rows[table] != nil } }
    }
}
