/// A dataset's load history and state, whichever way its destination keeps them: through
/// `BookkeepingReader` (files: manifests, `_state.json`) or its bookkeeping tables (SQL).
public enum Bookkeeping {
    public static func loads(_ dataset: any DatasetReader, limit: Int) async throws -> [LoadRecord] {
        if let book = dataset as? any BookkeepingReader { return try await book.loads(limit: limit) }
        let r = try await dataset.query(
            "SELECT load_id, status, rows, started_at, finished_at, details FROM \(BookkeepingTable.loads) "
                + "ORDER BY finished_at DESC LIMIT \(max(1, limit))")
        return r.rows.map { row in
            LoadRecord(
                loadId: row[0] ?? "", status: row[1] ?? "", rows: Int(row[2] ?? "") ?? 0, startedAt: row[3] ?? "",
                finishedAt: row[4] ?? "", details: row[5] ?? "[]")
        }
    }

    public static func state(_ dataset: any DatasetReader, pipeline: String) async throws -> [StateEntry] {
        if let book = dataset as? any BookkeepingReader { return try await book.stateEntries() }
        let r = try await dataset.query(
            "SELECT resource, key, value, updated_at FROM \(BookkeepingTable.state) WHERE pipeline = '"
                + pipeline.replacingOccurrences(of: "'", with: "''") + "' ORDER BY resource, key")
        return r.rows.map {
            StateEntry(resource: $0[0] ?? "", key: $0[1] ?? "", value: $0[2] ?? "", updatedAt: $0[3] ?? "")
        }
    }
}
