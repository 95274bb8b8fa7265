import OpenAPIKit

/// GET operations → resources (data selector, primary key, paginator, incremental candidate);
/// writes left out, export-starting POSTs listed as candidates.
struct ResourceInference {
    let resolver: SchemaResolver
    let sentByAuth: Set<String>
    var resources: [ResourceDraft] = []
    var fields: [String: [String]] = [:]
    var candidates: [CandidateDraft] = []
    var leftOut: [String] = []
    var notes: [String] = []
    /// Required parameters per resource still waiting for a parent.
    var pending: [String: [(name: String, inPath: Bool)]] = [:]
    var has404: Set<String> = []
    /// `${PREFIX_…}` variables for required parameters no parent feeds.
    var variables: [(name: String, meaning: String)] = []
    let prefix: String

    init(resolver: SchemaResolver, sentByAuth: Set<String>, prefix: String) {
        self.resolver = resolver
        self.sentByAuth = sentByAuth
        self.prefix = prefix
    }

    mutating func add(_ view: OperationView) {
        guard view.method == "GET" else {
            let text = "\(view.method) \(view.path)"
            if view.method == "POST", Self.startsExport(view) {
                candidates.append(
                    CandidateDraft(
                        method: view.method, path: view.path, summary: view.summary,
                        why: "starts an export job: load it with `async_job` (create → poll → download)"))
            } else {
                leftOut.append(text)
            }
            return
        }
        let context = "GET \(view.path)"
        var name = NameStyle.resourceName(view.path)
        let base = name
        for n in 2...1000 where resources.contains(where: { $0.name == name }) { name = base + "_\(n)" }
        let shape = resolver.recordShape(view.responseSchema, context: context)
        if shape == nil { notes.append("\(context): no JSON response schema: the data selector is the engine's default") }
        let query = view.parameters.filter { $0.location == .query && !sentByAuth.contains($0.name.lowercased()) }
        let paging = PagingInference(
            query: query.map { ($0.name, resolver.schema(of: $0, context: context)) }, envelope: shape?.envelope ?? [:]
        ).infer()
        notes += paging.notes.map { "\(context): \($0)" }
        var resource = ResourceDraft(
            name: name, method: "GET", path: String(view.path.drop { $0 == "/" }), summary: view.summary,
            params: paging.params, paginator: paging.paginator)
        if let shape { resource.dataSelector = Guess(shape.selectorText, shape.guess.confidence, shape.guess.reason) }
        resource.primaryKey = resolver.primaryKey(shape?.record, resource: name, context: context)
        if resource.primaryKey == nil, shape != nil {
            notes.append("\(name): no primary key found (no `id`, no `<name>Id`): loaded with append — add one to merge")
        }
        resource.incremental = incremental(query, record: shape?.record, context: context)
        fields[name] = resolver.objectProperties(shape?.record, context: context)?.map(\.name) ?? []
        let required = view.parameters.filter {
            $0.required && ($0.location == .path || $0.location == .query) && !sentByAuth.contains($0.name.lowercased())
        }
        pending[name] = required.map { ($0.name, $0.location == .path) }
        for header in view.parameters where header.location == .header && header.required
            && !sentByAuth.contains(header.name.lowercased())
        {
            notes.append("\(context): required header `\(header.name)` is not drafted: add it under `headers:`")
        }
        if view.documents404 { has404.insert(name) }
        resources.append(resource)
    }

    /// A date-time filter parameter that starts at a time: `…ModifiedGt`, `updated_since`, `since`, `dateFrom`.
    func incremental(_ query: [OpenAPI.Parameter], record: JSONSchema?, context: String) -> Guess<String>? {
        let starts = ["gt", "gte", "after", "since", "from", "start"]
        let changed = ["modified", "updated", "changed"]
        let dated = query.filter { p in
            let words = NameStyle.words(p.name)
            guard let last = words.last, starts.contains(last) || words == ["since"] else { return false }
            if case .string(let core, _)? = resolver.schema(of: p, context: context)?.value,
                core.format == .dateTime || core.format == .date
            {
                return true
            }
            return words.contains("since") || words.contains("date")
        }
        guard let chosen = dated.first(where: { p in NameStyle.words(p.name).contains { changed.contains($0) } })
            ?? dated.first
        else { return nil }
        let byChange = NameStyle.words(chosen.name).contains { changed.contains($0) }
        let cursor = resolver.cursorField(record, context: context)
        let text = "{cursor_path: \(cursor ?? "?"), start_param: \(chosen.name), initial_value: \"2024-01-01T00:00:00Z\"}"
        let why = byChange ? "`\(chosen.name)` filters by change time" : "`\(chosen.name)` is a date-time start filter"
        let confidence: Confidence = cursor == nil ? .low : (byChange ? .medium : .low)
        return Guess(text, confidence, why + (cursor.map { "; records carry `\($0)`" } ?? "; no cursor field found"))
    }

    static func startsExport(_ view: OperationView) -> Bool {
        let text = (view.path + " " + view.summary + " " + (view.operation.operationId ?? "")).lowercased()
        return text.contains("export")
    }
}
