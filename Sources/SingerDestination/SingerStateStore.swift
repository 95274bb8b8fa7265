import ConnectorKit
import Foundation

/// connector's own bookkeeping for a Singer destination, one folder per pipeline (`state_dir`):
/// `state.json` — the state the target last confirmed, itself a Singer state value (so it can
/// be handed to `connector tap --state`) — and `tables.json` — each table's columns (so types
/// stay as earlier runs decided) and the rows sent to the target so far. Files are replaced
/// atomically (written beside, then renamed).
struct SingerStateStore: Sendable {
    let directory: String
    var statePath: String { directory + "/state.json" }
    var tablesPath: String { directory + "/tables.json" }

    /// A table as last sent: its columns and how many rows the target has confirmed in total.
    struct Table: Codable, Sendable {
        var columns: [Column]
        var rows: Int
    }

    func state() throws -> SingerState {
        guard let data = FileManager.default.contents(atPath: statePath) else { return SingerState() }
        return try SingerState.parse(data, what: statePath)
    }

    func tables() -> [String: Table] {
        guard let data = FileManager.default.contents(atPath: tablesPath) else { return [:] }
        return (try? JSONDecoder().decode([String: Table].self, from: data)) ?? [:]
    }

    func save(_ state: SingerState) throws {
        try replace(statePath, Data(state.json.utf8))
    }

    func save(_ tables: [String: Table]) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try replace(tablesPath, try encoder.encode(tables))
    }

    private func replace(_ path: String, _ data: Data) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let temporary = path + ".tmp-\(UUID().uuidString.prefix(8))"
        try data.write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            throw SingerError("cannot rename \(temporary) to \(path): \(String(cString: strerror(errno)))")
        }
    }
}
