import CivilTime

/// Reads one entry of `resources:` — endpoint, paginator, partitions, incremental, async job.
struct ResourceReader {
    let interpolator: Interpolator
    let client: ClientSpec

    /// `resource_defaults` under a resource: the resource's own keys win, mappings merge.
    static func merge(defaults: YAMLNode, into item: YAMLNode) -> YAMLNode {
        let resource: YAMLNode
        if case .scalar(let name, _, let loc) = item {
            resource = .mapping([("name", loc, .scalar(name, quoted: false, loc))], loc)
        } else {
            resource = item
        }
        guard case .mapping(let d, _) = defaults, case .mapping(var r, let loc) = resource else { return resource }
        for (key, keyLoc, value) in d {
            if let i = r.firstIndex(where: { $0.key == key }) {
                if case .mapping = value, case .mapping = r[i].value {
                    r[i].value = merge(defaults: value, into: r[i].value)
                }
            } else {
                r.append((key, keyLoc, value))
            }
        }
        return .mapping(r, loc)
    }

    func parse(_ node: YAMLNode) throws(SpecError) -> ResourceSpec {
        var node = node
        if case .scalar(let name, _, let loc) = node { node = .mapping([("name", loc, .scalar(name, quoted: false, loc))], loc) }
        var r = try MappingReader(node, context: "a resource", interpolator: interpolator)
        let name = try r.requiredString("name")
        guard Self.isIdentifier(name.value) else {
            throw SpecError("resource name '\(name.value)' must use letters, digits and _ (it names a table)", at: name.location)
        }
        let context = "resource '\(name.value)'"
        let endpoint: EndpointSpec
        if let e = r.take("endpoint") {
            endpoint = try parseEndpoint(try MappingReader(e, context: "endpoint of \(context)", interpolator: interpolator), defaultPath: name)
        } else {
            endpoint = EndpointSpec(method: "GET", path: name, params: [], headers: [], json: nil, dataSelector: nil,
                                    paginator: nil, incremental: nil, partitions: [], ignoreStatuses: [], auth: nil)
        }
        let primaryKey = try r.stringList("primary_key")?.map(\.value) ?? []
        let disposition = try r.choice("write_disposition", WriteDisposition.self) ?? .append
        let include = try r.stringList("include_from_parent")?.map(\.value) ?? []
        var tables: [TableSelector] = []
        if let t = try r.mapping("tables") {
            for e in t.entries {
                var tr = try MappingReader(e.value, context: "table '\(e.key)' of \(context)", interpolator: interpolator)
                let selector = try tr.requiredString("data_selector").value
                let pk = try tr.stringList("primary_key")?.map(\.value) ?? primaryKey
                try tr.finish()
                guard Self.isIdentifier(e.key) else { throw SpecError("table name '\(e.key)' must use letters, digits and _", at: e.keyLocation) }
                if disposition == .merge && pk.isEmpty {
                    throw SpecError("table '\(e.key)' of \(context) merges but has no 'primary_key'", at: e.keyLocation)
                }
                tables.append(TableSelector(name: e.key, dataSelector: selector, primaryKey: pk))
            }
        }
        if disposition == .merge && primaryKey.isEmpty && tables.isEmpty {
            let declared = r.keyLocation("write_disposition")
            throw SpecError("\(context) merges (write_disposition at line \(declared.line)) but has no 'primary_key'; name the field(s) that identify a record", at: node.location)
        }
        let asyncJob = try r.mapping("async_job").map { a throws(SpecError) in try parseAsyncJob(a) }
        let nesting = try r.int("max_table_nesting", range: 0...32) ?? 6
        let enabled = try r.bool("enabled") ?? true
        let contract = try r.choice("schema_contract", SchemaContract.self) ?? .evolve
        var retention: RetentionRule?
        if var rr = try r.mapping("retention") {
            let column = try rr.requiredString("column").value
            let keepLast = try rr.int("keep_last", range: 1...1_000_000)
            let maxAge = try rr.duration("max_age")
            try rr.finish()
            guard keepLast != nil || maxAge != nil else {
                throw SpecError("retention of \(context) needs 'keep_last' (distinct values of the column) or 'max_age' (like 400d)", at: rr.location)
            }
            retention = RetentionRule(column: NameNormalizer.normalize(column), keepLast: keepLast, maxAgeSeconds: maxAge)
        }
        let columns = try r.mapping("columns").map { c throws(SpecError) in try parseColumns(c) } ?? [:]
        try r.finish()
        return ResourceSpec(name: name.value, location: node.location, endpoint: endpoint, primaryKey: primaryKey,
                            writeDisposition: disposition, includeFromParent: include, tables: tables,
                            asyncJob: asyncJob, maxNesting: nesting, enabled: enabled, schemaContract: contract,
                            retention: retention, columns: columns)
    }

    /// `columns: {id: {data_type: decimal}}`: column name → declared type.
    private func parseColumns(_ reader: MappingReader) throws(SpecError) -> [String: DataType] {
        var columns: [String: DataType] = [:]
        for entry in reader.entries {
            var c = try MappingReader(entry.value, context: "column '\(entry.key)' in \(reader.context)",
                                      interpolator: interpolator)
            guard let type = try c.choice("data_type", DataType.self) else {
                let choices = DataType.allCases.map(\.rawValue).joined(separator: ", ")
                throw SpecError("column '\(entry.key)' needs 'data_type' (one of: \(choices))", at: c.location)
            }
            try c.finish()
            columns[NameNormalizer.normalize(entry.key)] = type
        }
        return columns
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let f = s.unicodeScalars.first, f.properties.isAlphabetic || f == "_" else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_") }
    }

    enum Method: String, CaseIterable { case GET, POST, PUT, PATCH }

    private func parseEndpoint(_ reader: MappingReader, defaultPath: ConfigString) throws(SpecError) -> EndpointSpec {
        var r = reader
        let method = try r.choice("method", Method.self)?.rawValue ?? "GET"
        let path = try r.string("path") ?? defaultPath
        var params: [(name: String, value: ParamValue)] = []
        var resolveLocations: [String: SpecLocation] = [:]
        if let p = try r.mapping("params") {
            for e in p.entries {
                if case .mapping = e.value {
                    var pr = try MappingReader(e.value, context: "parameter '\(e.key)'", interpolator: interpolator)
                    let type = try pr.requiredString("type")
                    guard type.value == "resolve" else {
                        throw SpecError("parameter '\(e.key)' has type '\(type.value)'; the only parameter type is 'resolve' (a parent's field)", at: type.location)
                    }
                    let resource = try pr.requiredString("resource")
                    let field = try pr.requiredString("field").value
                    try pr.finish()
                    params.append((e.key, .resolve(resource: resource.value, field: field)))
                    resolveLocations[e.key] = resource.location
                } else {
                    params.append((e.key, .value(try p.string(e.value, "parameter '\(e.key)'"))))
                }
            }
        }
        var headers: [(String, ConfigString)] = []
        if let h = try r.mapping("headers") {
            for e in h.entries { headers.append((e.key, try h.string(e.value, "header '\(e.key)'"))) }
        }
        let json = try r.take("json").map { n throws(SpecError) in try Self.template(n, interpolator: interpolator) }
        let selector = try r.string("data_selector")?.value
        let paginator = try r.take("paginator").map { n throws(SpecError) in try Self.paginator(n, interpolator: interpolator) }
        let incremental = try r.mapping("incremental").map { m throws(SpecError) in try parseIncremental(m) }
        var partitions: [PartitionSpec] = []
        if let p = try r.mapping("partitions") {
            for e in p.entries { partitions.append(try parsePartition(e.value, name: e.key)) }
        }
        let ignore = try Self.errorStatuses(try r.stringList("ignore_statuses") ?? [], what: "ignore_statuses")
        let auth = try r.mapping("auth").map { a throws(SpecError) in try SpecLoader.parseAuth(a) }
        try r.finish()
        return EndpointSpec(method: method, path: path, params: params, headers: headers, json: json, dataSelector: selector,
                            paginator: paginator, incremental: incremental, partitions: partitions,
                            ignoreStatuses: ignore, auth: auth, resolveLocations: resolveLocations)
    }

    static func paginator(_ node: YAMLNode, interpolator: Interpolator) throws(SpecError) -> PaginatorSpec {
        if case .scalar(let s, _, let loc) = node {
            let kind = try MappingReader.choice(ConfigString(s, at: loc), PaginatorSpec.Kind.self, what: "paginator")
            switch kind {
            case .single_page: return .singlePage
            case .auto: return .auto
            case .header_link: return .headerLink(rel: "next")
            default: throw SpecError("paginator '\(s)' needs settings; write it as {type: \(s), …}", at: loc)
            }
        }
        var r = try MappingReader(node, context: "paginator", interpolator: interpolator)
        guard let kind = try r.choice("type", PaginatorSpec.Kind.self) else {
            throw SpecError("paginator needs 'type' (one of: \(PaginatorSpec.Kind.allCases.map(\.rawValue).joined(separator: ", ")))", at: r.location)
        }
        let spec: PaginatorSpec
        switch kind {
        case .single_page: spec = .singlePage
        case .auto: spec = .auto
        case .json_link:
            spec = .jsonLink(nextURLPath: try r.string("next_url_path")?.value, hasMorePath: try r.string("has_more_path")?.value,
                             stopAfterEmptyPage: try r.bool("stop_after_empty_page"))
        case .header_link:
            spec = .headerLink(rel: try r.string("rel")?.value ?? "next", hasMorePath: try r.string("has_more_path")?.value,
                               stopAfterEmptyPage: try r.bool("stop_after_empty_page"))
        case .offset:
            let limit = try r.int("limit", range: 1...1_000_000) ?? 100
            let offsetParam = try r.string("offset_param")?.value ?? "offset"
            let limitParam = try r.string("limit_param")?.value ?? "limit"
            spec = .offset(limit: limit, offsetParam: offsetParam, limitParam: limitParam,
                           totalPath: try r.string("total_path")?.value, hasMorePath: try r.string("has_more_path")?.value,
                           stopAfterEmptyPage: try r.bool("stop_after_empty_page"))
        case .page_number:
            spec = .pageNumber(pageParam: try r.string("page_param")?.value ?? "page", basePage: try r.int("base_page", range: 0...1) ?? 1,
                               totalPagesPath: try r.string("total_path")?.value, hasMorePath: try r.string("has_more_path")?.value,
                               stopAfterEmptyPage: try r.bool("stop_after_empty_page"))
        case .cursor:
            spec = .cursor(cursorPath: try r.string("cursor_path")?.value ?? "cursors.next",
                           cursorParam: try r.string("cursor_param")?.value ?? "cursor",
                           hasMorePath: try r.string("has_more_path")?.value, stopAfterEmptyPage: try r.bool("stop_after_empty_page"))
        }
        try r.finish()
        return spec
    }

    private func parseIncremental(_ reader: MappingReader) throws(SpecError) -> IncrementalSpec {
        var r = reader
        let spec = IncrementalSpec(cursorPath: try r.requiredString("cursor_path").value,
                                   startParam: try r.string("start_param")?.value,
                                   endParam: try r.string("end_param")?.value,
                                   initialValue: try r.string("initial_value").map(Self.checkedDate),
                                   lookbackSeconds: try r.duration("lookback") ?? 0)
        try r.finish()
        return spec
    }

    /// A value that looks like a date (`YYYY-…`) must be a real one; other cursors (ids, numbers) pass.
    private static func checkedDate(_ value: ConfigString) throws(SpecError) -> ConfigString {
        guard value.isSet, Timestamps.looksLikeDate(value.value), Timestamps.parse(value.value) == nil else { return value }
        throw badDate(value, "'initial_value'")
    }

    private static func badDate(_ value: ConfigString, _ what: String, orElse alternative: String = "") -> SpecError {
        SpecError("\(what) must be an ISO 8601 date (YYYY-MM-DD) or timestamp (YYYY-MM-DDTHH:MM:SSZ) with a real month, day "
                  + "and time\(alternative), found '\(value.value)'", at: value.location)
    }

    private func parsePartition(_ node: YAMLNode, name: String) throws(SpecError) -> PartitionSpec {
        var r = try MappingReader(node, context: "partition '\(name)'", interpolator: interpolator)
        guard let kind = try r.choice("type", PartitionSpec.KindName.self) else {
            throw SpecError("partition '\(name)' needs 'type' (one of: \(PartitionSpec.KindName.allCases.map(\.rawValue).joined(separator: ", ")))", at: r.location)
        }
        let spec: PartitionSpec.Kind
        switch kind {
        case .list:
            guard let valuesNode = r.take("values") else { throw SpecError("partition '\(name)' needs 'values'", at: r.location) }
            var unset: [String] = []
            if case .scalar(let s, _, let loc) = valuesNode { unset = try interpolator.expand(s, at: loc).missingVariables }
            spec = .list(values: try r.stringList(valuesNode, "'values' of partition '\(name)'").map(\.value), unsetVariables: unset)
        case .fiscal_quarters:
            spec = .fiscalQuarters(current: try r.bool("current") ?? true, previous: try r.int("previous", range: 0...40) ?? 0,
                                   fiscalYearStartMonth: try r.int("fiscal_year_start_month", range: 1...12) ?? 1)
        case .time_windows:
            let start = try r.requiredString("start")
            guard Timestamps.parse(start.value) != nil else { throw Self.badDate(start, "'start' of partition '\(name)'") }
            let end = try r.string("end")
            if let end, end.value != "now", Timestamps.parse(end.value) == nil {
                throw Self.badDate(end, "'end' of partition '\(name)'", orElse: " or 'now'")
            }
            spec = .timeWindows(start: start.value, end: end?.value == "now" ? nil : end?.value,
                                interval: try r.choice("interval", PartitionSpec.WindowInterval.self) ?? .month,
                                bounds: try windowBounds(&r, partition: name))
        }
        try r.finish()
        return PartitionSpec(name: name, kind: spec, location: node.location)
    }

    /// `start_bound`, `end_bound` and `precision` of a `time_windows` partition.
    private func windowBounds(_ r: inout MappingReader, partition name: String) throws(SpecError) -> WindowBounds {
        var bounds = WindowBounds()
        bounds.start = try r.choice("start_bound", WindowBounds.Bound.self) ?? bounds.start
        bounds.end = try r.choice("end_bound", WindowBounds.Bound.self) ?? bounds.end
        let precisionLocation = r.keyLocation("precision")
        if let seconds = try r.duration("precision") {
            let millis = (seconds * 1000).rounded()
            guard millis >= 1, millis <= 86_400_000, abs(millis - seconds * 1000) < 1e-6 else {
                throw SpecError("'precision' of partition '\(name)' must be a whole number of milliseconds between 1ms and 1d (like 1s or 1ms)",
                                at: precisionLocation)
            }
            bounds.precisionMillis = Int(millis)
        }
        return bounds
    }

    private func parseAsyncJob(_ reader: MappingReader) throws(SpecError) -> AsyncJobSpec {
        var r = reader
        let jobIdPath = try r.requiredString("job_id_path").value
        let maxConcurrent = try r.int("max_concurrent", range: 1...64) ?? 1
        guard var poll = try r.mapping("poll") else { throw SpecError("async_job needs 'poll' with 'path' and 'status_path'", at: r.location) }
        let pollPath = try poll.requiredString("path")
        let statusPath = try poll.requiredString("status_path").value
        let interval = try poll.duration("interval") ?? 2
        let timeout = try poll.duration("timeout") ?? 600
        let completed = try poll.stringList("completed")?.map(\.value) ?? ["DONE"]
        let failed = try poll.stringList("failed")?.map(\.value) ?? ["FAILED"]
        try poll.finish()
        guard var d = try r.mapping("download") else { throw SpecError("async_job needs 'download' with 'path' or 'url_path'", at: r.location) }
        let download: AsyncJobSpec.Download
        if let p = try d.string("path") {
            download = .path(p)
        } else if let u = try d.string("url_path") {
            download = .urlPath(u.value)
        } else {
            throw SpecError("'download' needs 'path' (a template like export/jobs/{job_id}/results) or 'url_path' (where the status body holds a URL)", at: d.location)
        }
        try d.finish()
        var cancel: AsyncJobSpec.Cancel?
        if var c = try r.mapping("cancel") {
            cancel = .init(method: try c.choice("method", Method.self)?.rawValue ?? "PATCH", path: try c.requiredString("path"),
                           json: try c.take("json").map { n throws(SpecError) in try Self.template(n, interpolator: interpolator) })
            try c.finish()
        }
        let busy = try r.mapping("busy").map { b throws(SpecError) in try parseBusy(b) }
        try r.finish()
        return AsyncJobSpec(jobIdPath: jobIdPath, maxConcurrent: maxConcurrent, pollPath: pollPath, statusPath: statusPath,
                            pollInterval: interval, timeout: timeout, completed: completed, failed: failed,
                            download: download, cancel: cancel, busy: busy)
    }

    /// `busy: {status: 400, body_contains: "concurrent limit", retries: 5, wait: 10s}`
    private func parseBusy(_ reader: MappingReader) throws(SpecError) -> AsyncJobSpec.Busy {
        var b = reader
        guard let list = try b.stringList("status"), !list.isEmpty else {
            throw SpecError("'busy' needs 'status': the HTTP status(es) of the answer that means too many jobs are in flight",
                            at: b.location)
        }
        let busy = AsyncJobSpec.Busy(statuses: try Self.errorStatuses(list, what: "'status' in 'busy'"),
                                     bodyContains: try b.string("body_contains")?.value,
                                     retries: try b.int("retries", range: 0...20) ?? 5, wait: try b.duration("wait") ?? 10)
        try b.finish()
        return busy
    }

    /// HTTP error statuses (400–599) written as a list.
    private static func errorStatuses(_ list: [ConfigString], what: String) throws(SpecError) -> [Int] {
        var statuses: [Int] = []
        for s in list {
            guard let code = Int(s.value), (400...599).contains(code) else {
                throw SpecError("\(what) takes HTTP error statuses (400–599), found '\(s.value)'", at: s.location)
            }
            statuses.append(code)
        }
        return statuses
    }

    static func template(_ node: YAMLNode, interpolator: Interpolator) throws(SpecError) -> JSONTemplate {
        switch node {
        case .scalar(let s, let quoted, let loc):
            let v = try interpolator.expand(s, at: loc).value
            if !quoted && (v == "true" || v == "false" || v == "null" || Double(v) != nil) { return .literal(v) }
            return .string(v, at: loc)
        case .sequence(let items, _):
            var out: [JSONTemplate] = []
            for i in items { out.append(try template(i, interpolator: interpolator)) }
            return .array(out)
        case .mapping(let pairs, _):
            var out: [(String, JSONTemplate)] = []
            for p in pairs { out.append((p.key, try template(p.value, interpolator: interpolator))) }
            return .object(out)
        }
    }
}
