import ConnectorKit
import Foundation

/// `type: jsonl_lines`: one JSON-lines file per table under `path` (default `data/jsonl/{pipeline}`).
/// Every load builds a complete new version of the dataset (`versions/<load_id>/`: tables, schema,
/// state, load history) beside the published one and publishes it by renaming a symbolic link
/// (`current`) over the old one: readers see the old dataset or the new one, never half a load, and
/// a failed or aborted load leaves the dataset as it was. Merge appends (readers keep the newest
/// row per `_connector_id`); a load copies the tables it appends to, so this suits small datasets.
public struct JSONLinesDestination: Destination {
    public let name: String
    /// Folder template; `{pipeline}` is replaced by the pipeline name.
    public let rootTemplate: String

    public init(name: String = "jsonl_lines", root: String = "data/jsonl/{pipeline}") {
        self.name = name
        self.rootTemplate = root
    }

    public var capabilities: DestinationCapabilities {
        DestinationCapabilities(
            types: Dictionary(uniqueKeysWithValues: DataType.allCases.map { ($0, "json") }),
            maxIdentifierLength: 255, transactionalDDL: true, mergeStrategy: .appendOnly, supportsSQL: false)
    }

    public func dataset(for pipeline: String) -> DatasetFolder {
        DatasetFolder(root: rootTemplate.replacingOccurrences(of: "{pipeline}", with: pipeline))
    }

    public func beginLoad(pipeline: String, loadId: String) async throws -> any LoadSession {
        try JSONLinesLoadSession(dataset: dataset(for: pipeline), pipeline: pipeline, loadId: loadId)
    }

    public func openDataset(pipeline: String) async throws -> any DatasetReader {
        JSONLinesDatasetReader(dataset: dataset(for: pipeline))
    }

    public func resetState(pipeline: String, resource: String?) async throws -> Int {
        try dataset(for: pipeline).resetState(resource: resource)
    }
}

/// Registers `type: jsonl_lines` with its one option, `path`, placed like the built-in files
/// destination's (relative to the project folder; the demo's under `demo/`; `--dataset` renames it).
public struct JSONLinesDestinationFactory: DestinationFactory {
    public init() {}
    public var typeName: String { "jsonl_lines" }
    public var optionKeys: [String] { ["path"] }

    public func make(_ spec: DestinationSpec, placement: DatasetPlacement) throws -> any Destination {
        let path = spec.options["path"]?.value ?? "data/jsonl/{pipeline}"
        guard !path.isEmpty else { throw SpecError("'path' of destination '\(spec.name)' is empty", at: spec.location) }
        return JSONLinesDestination(name: spec.name, root: placement.placed(path, extension: ""))
    }
}

/// An error of this destination, naming the file it concerns.
public struct JSONLinesError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
