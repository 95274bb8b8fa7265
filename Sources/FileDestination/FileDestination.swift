import ConnectorKit
import Foundation

/// Plain files for a lake or a diff: `<root>/<table>/<load_id>.jsonl` (or `.csv`), one folder
/// per dataset. Each load writes to a hidden staging folder and renames finished files into
/// place, so a reader never sees half a file; the manifest `_loads/<load_id>.json`, written
/// last, lists what the load published. Merge appends (readers keep the newest row per
/// `_connector_id`), since files cannot be updated in place.
public struct FileDestination: Destination {
    public enum Format: String, Sendable, CaseIterable { case jsonl, csv }
    public let name: String
    public let rootTemplate: String
    public let format: Format

    public init(name: String = "files", root: String = "data/files/{pipeline}", format: Format = .jsonl) {
        self.name = name
        self.rootTemplate = root
        self.format = format
    }

    public init(spec: DestinationSpec) throws {
        let formatName = spec.options["format"]?.value ?? "jsonl"
        guard let format = Format(rawValue: formatName) else {
            throw SpecError(
                "format '\(formatName)' is not one of: jsonl, csv",
                at: spec.options["format"]?.location ?? spec.location)
        }
        self.init(name: spec.name, root: spec.options["path"]?.value ?? "data/files/{pipeline}", format: format)
    }

    public var capabilities: DestinationCapabilities {
        DestinationCapabilities(
            types: Dictionary(uniqueKeysWithValues: DataType.allCases.map { ($0, format == .jsonl ? "json" : "text") }),
            maxIdentifierLength: 255, transactionalDDL: false, mergeStrategy: .appendOnly, supportsSQL: false)
    }

    public func root(for pipeline: String) -> String {
        rootTemplate.replacingOccurrences(of: "{pipeline}", with: pipeline)
    }

    public func beginLoad(pipeline: String, loadId: String) async throws -> any LoadSession {
        try FileLoadSession(root: root(for: pipeline), pipeline: pipeline, loadId: loadId, format: format)
    }

    public func openDataset(pipeline: String) async throws -> any DatasetReader {
        FileDatasetReader(root: root(for: pipeline), format: format)
    }

    public func resetState(pipeline: String, resource: String?) async throws -> Int {
        let store = FileStateStore(root: root(for: pipeline))
        var state = store.load()
        let keys = resource.map { [$0] } ?? Array(state.keys)
        let removed = keys.reduce(0) { $0 + (state[$1]?.count ?? 0) }
        for k in keys { state[k] = nil }
        try store.save(state)
        return removed
    }
}

/// `_state.json`: resource → key → value (`StateEncoding`'s entries), replaced atomically.
struct FileStateStore {
    let root: String
    var path: String { root + "/_state.json" }

    func load() -> [String: [String: String]] {
        guard let data = FileManager.default.contents(atPath: path) else { return [:] }
        return (try? JSONDecoder().decode([String: [String: String]].self, from: data)) ?? [:]
    }

    /// Applies a resource's state change; a resource without state gains no empty entry.
    static func apply(_ change: StateChange, resource: String, to state: inout [String: [String: String]]) {
        guard !change.updates.isEmpty || state[resource] != nil else { return }
        change.apply(to: &state[resource, default: [:]])
    }

    func save(_ state: [String: [String: String]]) throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try AtomicFile.write(Data(LoadDetails.encode(state).utf8), to: path)
    }
}

/// Write to a temporary name beside the target, then rename.
enum AtomicFile {
    static func write(_ data: Data, to path: String) throws {
        let temp = path + ".tmp-\(UUID().uuidString.prefix(8))"
        try data.write(to: URL(fileURLWithPath: temp))
        if rename(temp, path) != 0 { throw FileDestinationError("cannot rename \(temp) to \(path): errno \(errno)") }
    }
}

public struct FileDestinationError: Error, CustomStringConvertible, Sendable {
    public let message: String
    init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Row counts of the published files; SQL is not available on files.
struct FileDatasetReader: DatasetReader {
    let root: String
    let format: FileDestination.Format

    func tables() async throws -> [(name: String, rows: Int)] {
        let fm = FileManager.default
        let names = ((try? fm.contentsOfDirectory(atPath: root)) ?? []).filter {
            !$0.hasPrefix("_") && !$0.hasPrefix(".")
        }.sorted()
        return names.map { table in
            let files = ((try? fm.contentsOfDirectory(atPath: root + "/" + table)) ?? []).filter {
                $0.hasSuffix("." + format.rawValue)
            }
            let rows = files.reduce(0) { total, file in
                let data = fm.contents(atPath: root + "/" + table + "/" + file) ?? Data()
                let lines = data.reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
                return total + lines - (format == .csv && lines > 0 ? 1 : 0)
            }
            return (table, rows)
        }
    }

    func query(_ sql: String) async throws -> QueryResult {
        throw FileDestinationError(
            "the files destination has no SQL; read the files under \(root) (or load into sqlite/postgres for queries)")
    }

    func close() async {}
}
