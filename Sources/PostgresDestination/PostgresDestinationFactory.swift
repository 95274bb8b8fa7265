import ConnectorKit

/// `type: postgres`: `url` (required) and a schema per pipeline, `dataset` (default `{pipeline}`);
/// `--dataset` replaces the schema, the demo's get a `demo_` prefix.
public struct PostgresDestinationFactory: DestinationFactory {
    public init() {}
    public var typeName: String { DestinationSpec.Kind.postgres.rawValue }
    public var optionKeys: [String] { ["url", "dataset"] }

    public func make(_ spec: DestinationSpec, placement: DatasetPlacement) throws -> any Destination {
        var placed = spec
        let dataset = spec.options["dataset"] ?? ConfigString("{pipeline}", at: spec.location)  // its default
        placed.options["dataset"] = ConfigString(
            placement.schema(placement.dataset ?? dataset.value), at: dataset.location)
        return try PostgresDestination(spec: placed)
    }
}
