/// `pipelines.<name>`: which source loads into which destination.
public struct PipelineSpec: Sendable {
    public var name: String
    public var source: String
    public var destination: String
    public var location: SpecLocation
}

extension PipelineSpec {
    /// The keys of one entry of `pipelines`.
    static let keys = ["source", "destination"]

    /// Reads `pipelines.<name>`; its source must be one of `sources`.
    static func read(
        _ node: YAMLNode, name: String, location: SpecLocation, sources: [String],
        interpolator: Interpolator
    ) throws(SpecError) -> PipelineSpec {
        var p = try MappingReader(node, context: "pipeline '\(name)'", keys: keys, interpolator: interpolator)
        let source = try p.requiredString("source")
        let destination = try p.string("destination")?.value ?? "sqlite"
        try p.finish()
        guard sources.contains(source.value) else {
            var message = "pipeline '\(name)' names source '\(source.value)', which is not defined"
            if let hint = Suggest.nearest(source.value, in: sources) { message += "; did you mean '\(hint)'?" }
            throw SpecError(message + " Sources: \(sources.joined(separator: ", "))", at: source.location)
        }
        return PipelineSpec(name: name, source: source.value, destination: destination, location: location)
    }

    /// Every pipeline's destination is the default `sqlite` or has its file.
    static func checkDestinations(of project: ProjectSpec) throws(SpecError) {
        for p in project.pipelines where project.destinations[p.destination] == nil && p.destination != "sqlite" {
            let configured = project.destinations.keys.sorted().joined(separator: ", ")
            throw SpecError(
                "pipeline '\(p.name)' loads into destination '\(p.destination)', but "
                    + "destinations/\(p.destination).yaml does not exist; configured: \(configured)", at: p.location)
        }
    }
}
