import ConnectorKit
import Foundation

/// The files destination's history and state, read from what it writes: the manifests
/// `_loads/<load_id>.json` (one per published load) and `_state.json`.
extension FileDatasetReader: BookkeepingReader {
    private struct Manifest: Decodable {
        let load_id, status, started_at, finished_at: String
        let resources: String
    }

    private struct Resource: Decodable {
        let status: String
        let rows: [String: Int]
    }

    func loads(limit: Int) async throws -> [LoadRecord] {
        let folder = root + "/_loads"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
            $0.hasSuffix(".json")
        }
        let records = names.compactMap { name -> LoadRecord? in
            guard let data = FileManager.default.contents(atPath: folder + "/" + name),
                let m = try? JSONDecoder().decode(Manifest.self, from: data)
            else { return nil }
            let resources = (try? JSONDecoder().decode([Resource].self, from: Data(m.resources.utf8))) ?? []
            let rows = resources.filter { $0.status == "succeeded" }.reduce(0) { $0 + $1.rows.values.reduce(0, +) }
            return LoadRecord(
                loadId: m.load_id, status: m.status, rows: rows, startedAt: m.started_at, finishedAt: m.finished_at,
                details: m.resources)
        }
        return Array(records.sorted { ($0.finishedAt, $0.loadId) > ($1.finishedAt, $1.loadId) }.prefix(max(1, limit)))
    }

    func stateEntries() async throws -> [StateEntry] {
        let state = FileStateStore(root: root).load()
        return state.keys.sorted().flatMap { resource in
            (state[resource] ?? [:]).sorted { $0.key < $1.key }.map {
                StateEntry(resource: resource, key: $0.key, value: $0.value)
            }
        }
    }
}
