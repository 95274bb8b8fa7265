import ConnectorKit

/// `type: files`: a folder per pipeline at `path` (default `data/files/{pipeline}`) in `format`
/// `jsonl` or `csv`, placed in the project folder (the demo's under `demo/`, `--dataset` renames it).
public struct FileDestinationFactory: DestinationFactory {
    public init() {}
    public var typeName: String { DestinationSpec.Kind.files.rawValue }
    public var optionKeys: [String] { ["path", "format"] }

    public func make(_ spec: DestinationSpec, placement: DatasetPlacement) throws -> any Destination {
        let files = try FileDestination(spec: spec)
        return FileDestination(
            name: files.name, root: placement.placed(files.rootTemplate, extension: ""), format: files.format)
    }
}
