/// Request shape of a resource.
public struct EndpointSpec: Sendable {
    public var method: String
    public var path: ConfigString
    public var params: [(name: String, value: ParamValue)]
    public var headers: [(String, ConfigString)]
    public var json: JSONTemplate?
    /// Where the records are: one path, or alternatives tried in order (the first present wins).
    public var dataSelector: [String]?
    public var paginator: PaginatorSpec?
    public var incremental: IncrementalSpec?
    public var partitions: [PartitionSpec]
    /// Statuses that mean "no data here" rather than failure (e.g. a child's 404): the shorthand
    /// of `response_actions` rules `{status: …, action: ignore}`, tried after them.
    public var ignoreStatuses: [Int]
    /// Overrides the source's auth for this endpoint.
    public var auth: AuthSpec?
    /// Where each `resolve` parameter names its parent resource (parameter name → place), for errors.
    public var resolveLocations: [String: SpecLocation] = [:]
    /// What to do with answers by status and body (`response_actions`), in order.
    public var responseActions: [ResponseActionSpec] = []
}

public enum ParamValue: Sendable {
    case value(ConfigString)
    /// A value from each record of a parent resource: one request per parent record.
    case resolve(resource: String, field: String)
}

extension EndpointSpec {
    /// The words `method` accepts.
    enum Method: String, CaseIterable { case GET, POST, PUT, PATCH }

    /// The keys of a resource's `endpoint`.
    static let keys = [
        "method", "path", "params", "headers", "json", "data_selector", "paginator", "incremental",
        "partitions", "ignore_statuses", "auth", "response_actions",
    ]
    /// The keys of a parameter written as a mapping (`{type: resolve, resource: …, field: …}`).
    static let resolveKeys = ["type", "resource", "field"]

    /// A resource without `endpoint`: GET its name.
    static func plain(path: ConfigString) -> EndpointSpec {
        EndpointSpec(
            method: "GET", path: path, params: [], headers: [], json: nil, dataSelector: nil,
            paginator: nil, incremental: nil, partitions: [], ignoreStatuses: [], auth: nil)
    }

    static func read(_ reader: MappingReader, defaultPath: ConfigString) throws(SpecError) -> EndpointSpec {
        var r = reader
        let interpolator = r.interpolator
        let method = try r.choice("method", Method.self)?.rawValue ?? "GET"
        let path = try r.string("path") ?? defaultPath
        let (params, resolveLocations) =
            try r.mapping("params").map { p throws(SpecError) in try readParams(p) } ?? ([], [:])
        var headers: [(String, ConfigString)] = []
        if let h = try r.mapping("headers") {
            for e in h.entries { headers.append((e.key, try h.string(e.value, "header '\(e.key)'"))) }
        }
        let json = try r.take("json").map { n throws(SpecError) in try JSONTemplate.read(n, interpolator: interpolator)
        }
        let selector = try r.pathChoices("data_selector")
        let paginator = try r.take("paginator").map { n throws(SpecError) in
            try PaginatorSpec.read(n, interpolator: interpolator)
        }
        let incremental = try r.mapping("incremental", keys: IncrementalSpec.keys).map { m throws(SpecError) in
            try IncrementalSpec.read(m)
        }
        var partitions: [PartitionSpec] = []
        if let p = try r.mapping("partitions") {
            for e in p.entries {
                partitions.append(try PartitionSpec.read(e.value, name: e.key, interpolator: interpolator))
            }
        }
        let ignore = try errorStatuses(try r.stringList("ignore_statuses") ?? [], what: "ignore_statuses")
        let auth = try r.mapping("auth", keys: AuthSpec.keys).map { a throws(SpecError) in try AuthSpec.read(a) }
        let reader = r
        let actions = try r.take("response_actions").map { n throws(SpecError) in
            try ResponseActionSpec.readList(n, reader: reader)
        }
        try r.finish()
        return EndpointSpec(
            method: method, path: path, params: params, headers: headers, json: json, dataSelector: selector,
            paginator: paginator, incremental: incremental, partitions: partitions,
            ignoreStatuses: ignore, auth: auth, resolveLocations: resolveLocations, responseActions: actions ?? [])
    }

    /// `params`: plain values, or `{type: resolve, resource, field}` (with where each names its parent).
    private static func readParams(_ p: MappingReader) throws(SpecError)
        -> ([(name: String, value: ParamValue)], [String: SpecLocation])
    {
        var params: [(name: String, value: ParamValue)] = []
        var resolveLocations: [String: SpecLocation] = [:]
        for e in p.entries {
            guard case .mapping = e.value else {
                params.append((e.key, .value(try p.string(e.value, "parameter '\(e.key)'"))))
                continue
            }
            var pr = try p.reader(e.value, context: "parameter '\(e.key)'", keys: resolveKeys)
            let type = try pr.requiredString("type")
            guard type.value == "resolve" else {
                throw SpecError(
                    "parameter '\(e.key)' has type '\(type.value)'; the only parameter type is 'resolve' "
                        + "(a parent's field)", at: type.location)
            }
            let resource = try pr.requiredString("resource")
            let field = try pr.requiredString("field").value
            try pr.finish()
            params.append((e.key, .resolve(resource: resource.value, field: field)))
            resolveLocations[e.key] = resource.location
        }
        return (params, resolveLocations)
    }

    /// HTTP error statuses (400–599) written as a list.
    static func errorStatuses(_ list: [ConfigString], what: String) throws(SpecError) -> [Int] {
        var statuses: [Int] = []
        for s in list {
            guard let code = Int(s.value), (400...599).contains(code) else {
                throw SpecError("\(what) takes HTTP error statuses (400–599), found '\(s.value)'", at: s.location)
            }
            statuses.append(code)
        }
        return statuses
    }
}

extension EndpointSpec {
    /// Every rule that judges this endpoint's answers: `response_actions` in order, then the
    /// `ignore_statuses` shorthand as one more `ignore` rule.
    public var answerRules: [ResponseActionSpec] {
        guard !ignoreStatuses.isEmpty else { return responseActions }
        return responseActions + [ResponseActionSpec(statuses: ignoreStatuses.map { .code($0) }, action: .ignore)]
    }
}
