import ConnectorKit
import Foundation

/// Any Singer target (a program that reads SCHEMA, RECORD and STATE messages on stdin) as a
/// destination: `destinations/<name>.yaml` with `type: singer`, `command: [program, args…]`,
/// `config: {…}` (handed over as a private `--config` file) and `state_dir`, where connector
/// keeps the state the target confirmed. Rows are spooled to disk while the run extracts and
/// streamed to the target at commit, only for the resources that succeeded; the target's echo
/// of the final STATE, and its exit 0, is what commits connector's state (docs/destinations.md).
public struct SingerTargetDestination: Destination {
    public let name: String
    let target: SingerTargetConfig
    /// Where the state and table files live, `{pipeline}` filled in per pipeline.
    public let stateDirectoryTemplate: String

    public static let defaultStateDirectory = "data/singer/{pipeline}"

    public init(spec: DestinationSpec) throws {
        name = spec.name
        target = try SingerTargetConfig(spec: spec)
        stateDirectoryTemplate = spec.options["state_dir"]?.value ?? Self.defaultStateDirectory
    }

    /// The same destination with its state folder moved (the CLI places it in the project folder).
    public func placed(stateDirectory: String) -> SingerTargetDestination {
        var copy = self
        copy.stateDirectoryOverride = stateDirectory
        return copy
    }

    private var stateDirectoryOverride: String?

    func stateDirectory(for pipeline: String) -> String {
        (stateDirectoryOverride ?? stateDirectoryTemplate).replacingOccurrences(of: "{pipeline}", with: pipeline)
    }

    /// Singer targets decide their own types from the JSON Schema; merging is the target's
    /// upsert on `key_properties` (append when there are none). 63: PostgreSQL's limit, the
    /// shortest of the common targets', so names are shortened by connector, the same way everywhere.
    public var capabilities: DestinationCapabilities { Self.singerCapabilities }

    static let singerCapabilities =
        DestinationCapabilities(
            types: Dictionary(uniqueKeysWithValues: DataType.allCases.map { ($0, "json") }),
            maxIdentifierLength: 63, transactionalDDL: false, mergeStrategy: .appendOnly, supportsSQL: false)

    public func beginLoad(pipeline: String, loadId: String) async throws -> any LoadSession {
        try SingerTargetSession(
            target: target, store: SingerStateStore(directory: stateDirectory(for: pipeline)), loadId: loadId)
    }

    public func openDataset(pipeline: String) async throws -> any DatasetReader {
        SingerDatasetReader(store: SingerStateStore(directory: stateDirectory(for: pipeline)), command: target.command)
    }

    public func resetState(pipeline: String, resource: String?) async throws -> Int {
        let store = SingerStateStore(directory: stateDirectory(for: pipeline))
        var state = try store.state()
        let resources = resource.map { [$0] } ?? Array(state.bookmarks.keys)
        let removed = resources.reduce(0) { $0 + (state.bookmarks[$1]?.count ?? 0) }
        for name in resources { state.bookmarks[name] = nil }
        try store.save(state)
        return removed
    }
}

/// What connector knows of a Singer target's data: the tables it sent and the rows the target
/// confirmed. The data itself is in the target's system; SQL goes there.
struct SingerDatasetReader: DatasetReader {
    let store: SingerStateStore
    let command: [String]

    func tables() async throws -> [(name: String, rows: Int)] {
        store.tables().map { (name: $0.key, rows: $0.value.rows) }.sorted { $0.name < $1.name }
    }

    func query(_ sql: String) async throws -> QueryResult {
        throw SingerError(
            "a Singer destination has no SQL here: query the system \(command.first ?? "the target") loads into")
    }

    func close() async {}
}
