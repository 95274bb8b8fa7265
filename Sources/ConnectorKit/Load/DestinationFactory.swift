/// One destination `type:` of `destinations/<name>.yaml`: its name, the options it accepts, and how
/// a `Destination` is built from them. The built-in types are factories like any other; a package
/// that runs the command line registers its own (`Connector.start(destinations:)`, docs/destinations.md).
public protocol DestinationFactory: Sendable {
    /// The `type:` value that selects this factory, e.g. `sqlite`.
    var typeName: String { get }
    /// Every option key besides `type` that the type accepts; the registry refuses any other key,
    /// naming these, before `make` is called.
    var optionKeys: [String] { get }
    /// The destination `spec` describes, with its paths or schema placed by `placement` (project
    /// folder, demo, `--dataset`). Throws `SpecError` at the option that is wrong (a missing or
    /// malformed value), naming what would be valid.
    func make(_ spec: DestinationSpec, placement: DatasetPlacement) throws -> any Destination
}
