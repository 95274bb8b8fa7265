import ConnectorKit

/// `type: singer`: `command` (the target program and its arguments), `config` (a mapping, handed
/// to the target as a private `--config` file) and `state_dir` (where the state the target
/// confirmed is kept, placed in the project folder like the other destinations' files).
public struct SingerDestinationFactory: DestinationFactory {
    public init() {}
    public var typeName: String { DestinationSpec.Kind.singer.rawValue }
    public var optionKeys: [String] { ["command", "config", "state_dir"] }

    public func make(_ spec: DestinationSpec, placement: DatasetPlacement) throws -> any Destination {
        let singer = try SingerTargetDestination(spec: spec)
        return singer.placed(
            stateDirectory: placement.path(placement.renamed(singer.stateDirectoryTemplate, extension: "")))
    }
}
