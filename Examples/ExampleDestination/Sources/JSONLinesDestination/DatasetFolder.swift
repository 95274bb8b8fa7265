import ConnectorKit
import Foundation

/// One dataset on disk: `current` (a symbolic link to `versions/<id>/`, the published version
/// holding `<table>.jsonl`, `_schema.json`, `_state.json`, `_loads.jsonl`) and the
/// `.staging-<load_id>/` folder of a load in progress.
public struct DatasetFolder: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    var currentLink: String { root + "/current" }

    /// The published version's folder; nil before the first load.
    public var current: String? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: currentLink) else { return nil }
        return root + "/" + target
    }

    /// Table name → columns, as the published version has them.
    func schema() -> [String: [Column]] { read("_schema.json") ?? [:] }

    /// Resource → `StateEncoding` entries, as the published version has them.
    func state() -> [String: [String: String]] { read("_state.json") ?? [:] }

    private func read<T: Decodable>(_ file: String) -> T? {
        guard let current, let data = FileManager.default.contents(atPath: current + "/" + file) else { return nil }
        return try? JSONDecoder().decode(T.self, from: data)
    }

    /// Makes `versions/<name>` the published version (an atomic rename of the link), then removes
    /// the version it replaces.
    func publish(version name: String) throws {
        let previous = current
        let temporary = root + "/.current-" + UUID().uuidString
        try FileManager.default.createSymbolicLink(atPath: temporary, withDestinationPath: "versions/" + name)
        guard rename(temporary, currentLink) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw JSONLinesError("cannot publish \(root)/versions/\(name): rename failed, errno \(errno)")
        }
        if let previous, previous != root + "/versions/" + name {
            try? FileManager.default.removeItem(atPath: previous)
        }
    }

    /// Changes the published state in place (job ids saved mid-load, `connector reset`); returns
    /// how many entries were removed. Before the first load there is an empty version to change.
    @discardableResult
    func updateState(_ change: (inout [String: [String: String]]) -> Int) throws -> Int {
        if current == nil {
            let name = "initial-" + UUID().uuidString.prefix(8)
            try FileManager.default.createDirectory(
                atPath: root + "/versions/" + name, withIntermediateDirectories: true)
            try publish(version: String(name))
        }
        guard let current else { throw JSONLinesError("\(root) has no published version") }
        var state = state()
        let removed = change(&state)
        try Self.writeAtomically(try JSONEncoder().encode(state), to: current + "/_state.json")
        return removed
    }

    func resetState(resource: String?) throws -> Int {
        guard current != nil else { return 0 }
        return try updateState { state in
            let resources = resource.map { [$0] } ?? Array(state.keys)
            let removed = resources.reduce(0) { $0 + (state[$1]?.count ?? 0) }
            for name in resources { state[name] = nil }
            return removed
        }
    }

    /// Writes to a temporary name beside `path`, then renames it into place.
    static func writeAtomically(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp-" + UUID().uuidString.prefix(8)
        try data.write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else { throw JSONLinesError("cannot rename \(temporary) to \(path)") }
    }
}
