import Foundation

/// Turns `sources.yaml` and `destinations/*.yaml` into a validated `ProjectSpec`.
public struct SpecLoader: Sendable {
    public let environment: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    var interpolator: Interpolator { Interpolator(environment: environment) }

    /// Reads `<directory>/sources.yaml` and every `<directory>/destinations/*.yaml`.
    public func load(projectDirectory directory: String) throws(SpecError) -> ProjectSpec {
        let sourcesPath = (directory as NSString).appendingPathComponent("sources.yaml")
        let text = try Self.read(sourcesPath)
        var project = try parseSources(text, file: Self.display(sourcesPath))
        let destinationsDir = (directory as NSString).appendingPathComponent("destinations")
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: destinationsDir)) ?? [])
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        for file in files {
            let path = (destinationsDir as NSString).appendingPathComponent(file)
            let name = (file as NSString).deletingPathExtension
            project.destinations[name] = try parseDestination(try Self.read(path), name: name, file: Self.display(path))
        }
        try checkPipelines(project)
        return project
    }

    static func read(_ path: String) throws(SpecError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SpecError("cannot read \(path): no such file (run from the project folder or pass --project DIR)", at: nil)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SpecError("\(path) is not UTF-8 text", at: SpecLocation(file: path, line: 1, column: 1))
        }
        return text
    }

    static func display(_ path: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(cwd) ? String(path.dropFirst(cwd.count)) : path
    }

    public func parseDestination(_ text: String, name: String, file: String) throws(SpecError) -> DestinationSpec {
        guard let root = try YAMLDocument.parse(text, file: file) else {
            throw SpecError("destination file is empty; it needs at least 'type'", at: SpecLocation(file: file, line: 1, column: 1))
        }
        var reader = try MappingReader(root, context: "destination '\(name)'", interpolator: interpolator)
        guard let kind = try reader.choice("type", DestinationSpec.Kind.self) else {
            throw SpecError("destination '\(name)' needs 'type' (one of: \(DestinationSpec.Kind.allCases.map(\.rawValue).joined(separator: ", ")))", at: reader.location)
        }
        var options: [String: ConfigString] = [:]
        for entry in reader.entries where entry.key != "type" {
            options[entry.key] = try reader.string(entry.value, "'\(entry.key)' of destination '\(name)'")
        }
        return DestinationSpec(name: name, kind: kind, options: options, location: reader.location)
    }

    /// Parses the text of a `sources.yaml`.
    public func parseSources(_ text: String, file: String) throws(SpecError) -> ProjectSpec {
        guard let root = try YAMLDocument.parse(text, file: file) else {
            throw SpecError("sources.yaml is empty; it needs 'sources' and 'pipelines'", at: SpecLocation(file: file, line: 1, column: 1))
        }
        var top = try MappingReader(root, context: "the top level", interpolator: interpolator)
        var sources: [SourceSpec] = []
        var secrets = Set<String>()
        if let node = top.take("sources") {
            let map = try MappingReader(node, context: "'sources'", interpolator: interpolator)
            for entry in map.entries {
                let source = try parseSource(entry.value, name: entry.key)
                try PlaceholderCheck.check(source)
                for value in source.allAuthValues where !value.value.isEmpty { secrets.insert(value.value) }
                sources.append(source)
            }
        } else {
            throw SpecError("sources.yaml needs a 'sources' mapping", at: top.location)
        }
        var pipelines: [PipelineSpec] = []
        if let node = top.take("pipelines") {
            let map = try MappingReader(node, context: "'pipelines'", interpolator: interpolator)
            for entry in map.entries {
                var p = try MappingReader(entry.value, context: "pipeline '\(entry.key)'", interpolator: interpolator)
                let source = try p.requiredString("source")
                let destination = try p.string("destination")?.value ?? "sqlite"
                try p.finish()
                guard sources.contains(where: { $0.name == source.value }) else {
                    var message = "pipeline '\(entry.key)' names source '\(source.value)', which is not defined"
                    let names = sources.map(\.name)
                    if let hint = Suggest.nearest(source.value, in: names) { message += "; did you mean '\(hint)'?" }
                    throw SpecError(message + " Sources: \(names.joined(separator: ", "))", at: source.location)
                }
                pipelines.append(PipelineSpec(name: entry.key, source: source.value, destination: destination, location: entry.keyLocation))
            }
        }
        try top.finish()
        return ProjectSpec(sources: sources, pipelines: pipelines, destinations: [:], secrets: secrets)
    }

    private func checkPipelines(_ project: ProjectSpec) throws(SpecError) {
        for p in project.pipelines where project.destinations[p.destination] == nil && p.destination != "sqlite" {
            throw SpecError("pipeline '\(p.name)' loads into destination '\(p.destination)', but destinations/\(p.destination).yaml does not exist; configured: \(project.destinations.keys.sorted().joined(separator: ", "))", at: p.location)
        }
    }

    private func parseSource(_ node: YAMLNode, name: String) throws(SpecError) -> SourceSpec {
        var reader = try MappingReader(node, context: "source '\(name)'", interpolator: interpolator)
        guard let clientReader = try reader.mapping("client") else {
            throw SpecError("source '\(name)' needs a 'client' with at least 'base_url'", at: reader.location)
        }
        let client = try parseClient(clientReader)
        let defaults = reader.take("resource_defaults")
        guard let resourcesNode = reader.take("resources"), case .sequence(let items, _) = resourcesNode else {
            throw SpecError("source '\(name)' needs 'resources', a list", at: reader.location)
        }
        try reader.finish()
        var resources: [ResourceSpec] = []
        let resourceReader = ResourceReader(interpolator: interpolator, client: client)
        for item in items {
            let merged = defaults.map { ResourceReader.merge(defaults: $0, into: item) } ?? item
            var resource = try resourceReader.parse(merged)
            // An endpoint without its own paginator walks pages with the source's.
            if resource.endpoint.paginator == nil { resource.endpoint.paginator = client.paginator }
            if let dup = resources.first(where: { $0.name == resource.name }) {
                throw SpecError("resource '\(resource.name)' is defined twice (first at \(dup.location))", at: resource.location)
            }
            resources.append(resource)
        }
        try ResourceGraph.check(resources, source: name)
        return SourceSpec(name: name, client: client, resources: resources, location: node.location)
    }

    private func parseClient(_ reader: MappingReader) throws(SpecError) -> ClientSpec {
        var r = reader
        let base = try r.requiredString("base_url")
        let auth = try r.mapping("auth").map { a throws(SpecError) in try Self.parseAuth(a) }
        var headers: [(String, ConfigString)] = []
        if let h = try r.mapping("headers") {
            for e in h.entries { headers.append((e.key, try h.string(e.value, "header '\(e.key)'"))) }
        }
        let paginator = try r.take("paginator").map { n throws(SpecError) in try ResourceReader.paginator(n, interpolator: interpolator) }
        var rate: Double?
        if var rl = try r.mapping("rate_limit") {
            rate = try rl.double("requests_per_second")
            try rl.finish()
        }
        let concurrency = try r.int("max_concurrency", range: 1...256) ?? 8
        var retry = RetrySpec()
        if var rt = try r.mapping("retry") {
            retry.maxAttempts = try rt.int("max_attempts", range: 1...50) ?? retry.maxAttempts
            retry.baseDelay = try rt.duration("base_delay") ?? retry.baseDelay
            retry.maxDelay = try rt.duration("max_delay") ?? retry.maxDelay
            retry.runBudget = try rt.int("run_budget", range: 0...1_000_000) ?? retry.runBudget
            retry.circuitBreaker = try rt.int("circuit_breaker", range: 1...10_000) ?? retry.circuitBreaker
            try rt.finish()
        }
        let timeout = try r.duration("timeout") ?? 300
        let idle = try r.duration("idle_timeout") ?? min(timeout, 60)
        try r.finish()
        return ClientSpec(baseURL: base, auth: auth, headers: headers, paginator: paginator, requestsPerSecond: rate,
                          maxConcurrency: concurrency, retry: retry, timeoutSeconds: timeout, idleTimeoutSeconds: idle)
    }

    enum AuthType: String, CaseIterable { case api_key, bearer, http_basic }

    static func parseAuth(_ reader: MappingReader) throws(SpecError) -> AuthSpec {
        var r = reader
        guard let type = try r.choice("type", AuthType.self) else {
            throw SpecError("auth needs 'type' (one of: \(AuthType.allCases.map(\.rawValue).joined(separator: ", ")))", at: r.location)
        }
        let auth: AuthSpec
        switch type {
        case .api_key:
            var credentials: [AuthSpec.Credential] = []
            if let headers = try r.mapping("headers") {
                for e in headers.entries {
                    credentials.append(.init(location: .header, name: e.key, value: try headers.string(e.value, "auth header '\(e.key)'")))
                }
            }
            if let query = try r.mapping("query") {
                for e in query.entries {
                    credentials.append(.init(location: .query, name: e.key, value: try query.string(e.value, "auth query parameter '\(e.key)'")))
                }
            }
            let location = try r.choice("location", AuthSpec.Credential.Location.self) ?? .header
            let name = try r.string("name")
            let key = try r.string("api_key")
            if let key {
                credentials.append(.init(location: location, name: name?.value ?? "Authorization", value: key))
            }
            guard !credentials.isEmpty else {
                throw SpecError("api_key auth needs 'api_key' (with 'name' and 'location'), or 'headers' / 'query' maps of names to values", at: r.location)
            }
            auth = .apiKey(credentials)
        case .bearer:
            auth = .bearer(try r.requiredString("token"))
        case .http_basic:
            auth = .httpBasic(username: try r.requiredString("username"), password: try r.requiredString("password"))
        }
        try r.finish()
        return auth
    }
}

extension SourceSpec {
    var allAuthValues: [ConfigString] {
        (client.auth?.values ?? []) + client.headers.map(\.1).filter(\.fromEnvironment)
            + resources.flatMap { ($0.endpoint.auth?.values ?? []) + $0.endpoint.headers.map(\.1).filter(\.fromEnvironment) }
    }
}

extension SourceSpec {
    /// Variables referenced without a default and not set, for `validate`.
    public var unsetVariables: [String] {
        var names: [String] = client.baseURL.missingVariables
        names += (client.auth?.values ?? []).flatMap(\.missingVariables)
        for r in resources {
            names += r.endpoint.path.missingVariables + (r.endpoint.auth?.values ?? []).flatMap(\.missingVariables)
            for p in r.endpoint.partitions { if case .list(_, let unset) = p.kind { names += unset } }
        }
        return names
    }
}
