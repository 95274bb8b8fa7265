/// One API: how to talk to it and which resources to read.
public struct SourceSpec: Sendable {
    public var name: String
    public var client: ClientSpec
    public var resources: [ResourceSpec]
    public var location: SpecLocation

    public func resource(named name: String) -> ResourceSpec? { resources.first { $0.name == name } }
}

extension SourceSpec {
    /// The keys of one entry of `sources`.
    static let keys = ["client", "resource_defaults", "resources"]

    /// Reads `sources.<name>`: its client, then its resources with `resource_defaults` merged in.
    static func read(_ node: YAMLNode, name: String, interpolator: Interpolator) throws(SpecError) -> SourceSpec {
        var reader = try MappingReader(node, context: "source '\(name)'", keys: keys, interpolator: interpolator)
        guard let clientReader = try reader.mapping("client", keys: ClientSpec.keys) else {
            throw SpecError("source '\(name)' needs a 'client' with at least 'base_url'", at: reader.location)
        }
        let client = try ClientSpec.read(clientReader)
        let defaults = reader.take("resource_defaults")
        guard let resourcesNode = reader.take("resources"), case .sequence(let items, _) = resourcesNode else {
            throw SpecError("source '\(name)' needs 'resources', a list", at: reader.location)
        }
        try reader.finish()
        var resources: [ResourceSpec] = []
        for item in items {
            let merged = defaults.map { ResourceSpec.merge(defaults: $0, into: item) } ?? item
            var resource = try ResourceSpec.read(merged, interpolator: interpolator)
            // An endpoint without its own paginator walks pages with the source's.
            if resource.endpoint.paginator == nil { resource.endpoint.paginator = client.paginator }
            try checkBody(of: resource)
            if let dup = resources.first(where: { $0.name == resource.name }) {
                throw SpecError(
                    "resource '\(resource.name)' is defined twice (first at \(dup.location))",
                    at: resource.location)
            }
            resources.append(resource)
        }
        try ResourceGraph.check(resources, source: name)
        return SourceSpec(name: name, client: client, resources: resources, location: node.location)
    }

    /// A paginator that writes into the JSON body needs a body that is an object (or none).
    private static func checkBody(of resource: ResourceSpec) throws(SpecError) {
        guard resource.endpoint.paginator?.writesBody == true, let json = resource.endpoint.json else { return }
        if case .object = json { return }
        throw SpecError(
            "resource '\(resource.name)': its paginator writes into the JSON body, but 'json' is not a mapping",
            at: resource.location)
    }

    /// Every configured credential, and every header value taken from the environment.
    var allAuthValues: [ConfigString] {
        (client.auth?.values ?? []) + client.headers.map(\.1).filter(\.fromEnvironment)
            + resources.flatMap {
                ($0.endpoint.auth?.values ?? []) + $0.endpoint.headers.map(\.1).filter(\.fromEnvironment)
            }
    }

    /// Variables referenced without a default and not set, for `validate`.
    public var unsetVariables: [String] {
        var names: [String] = client.baseURL.missingVariables
        names += (client.auth?.configuredValues ?? []).flatMap(\.missingVariables)
        for r in resources {
            names +=
                r.endpoint.path.missingVariables + (r.endpoint.auth?.configuredValues ?? []).flatMap(\.missingVariables)
            for p in r.endpoint.partitions { if case .list(_, let unset) = p.kind { names += unset } }
        }
        return names
    }
}
