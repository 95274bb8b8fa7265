import ConnectorKit
import Foundation

/// The published version, for `show`, `loads`, `state` and the dashboard: tables with their row
/// counts, the load history and the state. There is no SQL on files.
struct JSONLinesDatasetReader: DatasetReader, BookkeepingReader {
    let dataset: DatasetFolder

    func tables() async throws -> [(name: String, rows: Int)] {
        guard let current = dataset.current else { return [] }
        let names = try FileManager.default.contentsOfDirectory(atPath: current).filter {
            $0.hasSuffix(".jsonl") && !$0.hasPrefix("_")
        }
        return names.sorted().map { name in
            let data = FileManager.default.contents(atPath: current + "/" + name) ?? Data()
            return (String(name.dropLast(".jsonl".count)), data.reduce(0) { $0 + ($1 == 10 ? 1 : 0) })
        }
    }

    func query(_ sql: String) async throws -> QueryResult {
        throw JSONLinesError("jsonl_lines has no SQL; read the files under \(dataset.root)/current")
    }

    func close() async {}

    func loads(limit: Int) async throws -> [LoadRecord] {
        guard let current = dataset.current, let data = FileManager.default.contents(atPath: current + "/_loads.jsonl")
        else { return [] }
        let lines = try data.split(separator: 10).map { try JSONDecoder().decode(LoadLine.self, from: Data($0)) }
        return lines.reversed().prefix(max(1, limit)).map {
            LoadRecord(
                loadId: $0.loadId, status: $0.status, rows: $0.rows, startedAt: $0.startedAt,
                finishedAt: $0.finishedAt, details: $0.details)
        }
    }

    func stateEntries() async throws -> [StateEntry] {
        let state = dataset.state()
        return state.keys.sorted().flatMap { resource in
            (state[resource] ?? [:]).sorted { $0.key < $1.key }.map {
                StateEntry(resource: resource, key: $0.key, value: $0.value)
            }
        }
    }
}
