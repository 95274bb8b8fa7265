import ConnectorKit

/// `type: sqlite`: one file per pipeline at `path` (default `data/{pipeline}.sqlite`), placed in
/// the project folder (the demo's under `demo/`, `--dataset` renames the file).
public struct SQLiteDestinationFactory: DestinationFactory {
    public init() {}
    public var typeName: String { DestinationSpec.Kind.sqlite.rawValue }
    public var optionKeys: [String] { ["path"] }

    public func make(_ spec: DestinationSpec, placement: DatasetPlacement) throws -> any Destination {
        let sqlite = SQLiteDestination(spec: spec)
        return SQLiteDestination(
            name: sqlite.name, pathTemplate: placement.placed(sqlite.pathTemplate, extension: ".sqlite"))
    }
}
