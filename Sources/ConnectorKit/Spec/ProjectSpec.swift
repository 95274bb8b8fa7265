/// A whole project: sources, pipelines and destinations, validated and with variables expanded.
public struct ProjectSpec: Sendable {
    public var sources: [SourceSpec]
    public var pipelines: [PipelineSpec]
    public var destinations: [String: DestinationSpec]
    /// Values that must never appear in logs, errors or the destination.
    public var secrets: Set<String>

    public func source(named name: String) -> SourceSpec? { sources.first { $0.name == name } }
    public func pipeline(named name: String) -> PipelineSpec? { pipelines.first { $0.name == name } }
}

extension ProjectSpec {
    /// The keys of the top level of `sources.yaml`.
    static let keys = ["sources", "pipelines"]

    /// Reads the top level of `sources.yaml` (destinations come from their own files).
    static func read(_ root: YAMLNode, interpolator: Interpolator) throws(SpecError) -> ProjectSpec {
        var top = try MappingReader(root, context: "the top level", keys: keys, interpolator: interpolator)
        var sources: [SourceSpec] = []
        var secrets = Set<String>()
        guard let sourcesNode = top.take("sources") else {
            throw SpecError("sources.yaml needs a 'sources' mapping", at: top.location)
        }
        for entry in try top.reader(sourcesNode, context: "'sources'").entries {
            let source = try SourceSpec.read(entry.value, name: entry.key, interpolator: interpolator)
            try PlaceholderCheck.check(source)
            for value in source.allAuthValues where !value.value.isEmpty { secrets.insert(value.value) }
            sources.append(source)
        }
        var pipelines: [PipelineSpec] = []
        if let node = top.take("pipelines") {
            for entry in try top.reader(node, context: "'pipelines'").entries {
                pipelines.append(
                    try PipelineSpec.read(
                        entry.value, name: entry.key, location: entry.keyLocation,
                        sources: sources.map(\.name), interpolator: interpolator))
            }
        }
        try top.finish()
        return ProjectSpec(sources: sources, pipelines: pipelines, destinations: [:], secrets: secrets)
    }
}
