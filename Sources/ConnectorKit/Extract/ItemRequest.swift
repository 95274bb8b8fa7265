/// The request of one work item before pagination: path, parameters, headers and JSON body
/// rendered from one set of placeholders — the item's partitions and parent values, and
/// `incremental.start_value` — so that a placeholder means the same wherever it is written.
struct ItemRequest {
    /// Every placeholder value of the item, for the templates rendered later (async job paths).
    let placeholders: [String: String]
    let page: PageRequest
    let headers: [(String, String)]

    /// `incrementalStart` is the value the item asks from (stored cursor or initial value), if any.
    init(resource: ResourceSpec, item: WorkItem, baseURL: String, incrementalStart: String?) throws {
        let endpoint = resource.endpoint
        var placeholders = item.placeholders
        let bounds = try IncrementalBounds(resource: resource, start: incrementalStart)
        placeholders.merge(bounds.placeholders) { $1 }
        let render = Renderer(resource: resource, values: placeholders)
        var query: [(String, String)] = []
        for (name, value) in endpoint.params {
            switch value {
            case .value(let v):
                query.append((name, try render(v.value, at: v.location)))
            case .resolve:
                if !endpoint.path.value.containsBytes("{\(name)}"), let v = placeholders[name] { query.append((name, v)) }
            }
        }
        query += bounds.params
        let path = try render(endpoint.path.value, at: endpoint.path.location, encode: true)
        let body = try endpoint.json.map { Array(try render.json($0).utf8) }
        page = PageRequest(method: endpoint.method, url: URLText.join(baseURL, path), params: query, body: body)
        headers = try endpoint.headers.map { name, value in
            (name, try render(try value.required("header \(name)"), at: value.location))
        }
        self.placeholders = placeholders
    }

    /// The HTTP request for one page of the item: the page's method, URL and body with the item's headers.
    func http(_ page: PageRequest) -> HTTPRequest {
        HTTPRequest(method: page.method, url: page.fullURL, headers: headers, body: page.body)
    }

    /// The request a resumed item carries on from: the checkpoint's, with the parameters that
    /// carry a secret — which the checkpoint dropped — set again from the item's first request.
    func resuming(_ saved: PageRequest, isSecret: (String) -> Bool) -> PageRequest {
        var request = saved
        for (name, value) in page.params where isSecret(name) {
            if !request.params.contains(where: { $0.0 == name }) { request.params.append((name, value)) }
        }
        return request
    }

    /// The value an item's incremental walk asks from, as records carry it: its stored cursor
    /// (moved back by the lookback when it is a timestamp), else the declared initial value,
    /// else none. A bounded backfill (`end_value`) reads its declared range: it starts at the
    /// initial value whatever is stored.
    static func incrementalStart(
        _ spec: IncrementalSpec, itemKey: String,
        storedState: ResourceState
    ) throws -> String? {
        if spec.endValue == nil, let stored = storedState.cursors[WorkItemKey(itemKey)] {
            guard spec.lookbackSeconds > 0, let shifted = CursorShift.back(stored, spec: spec) else {
                return stored
            }
            return shifted
        }
        return try spec.initialValue.map { try $0.required("incremental initial_value") }
    }

    /// Renders templates of one resource, turning a missing placeholder into a configuration
    /// error that says where it was written and what is available there.
    private struct Renderer {
        let resource: ResourceSpec
        let values: [String: String]

        func callAsFunction(_ template: String, at location: SpecLocation, encode: Bool = false) throws -> String {
            do {
                return try RequestTemplate.render(template, values, encode: encode)
            } catch {
                throw failure(error, at: "\(location)")
            }
        }

        func json(_ template: JSONTemplate) throws -> String {
            do {
                return try RequestTemplate.renderJSON(template, values)
            } catch {
                throw failure(error, at: "json body")
            }
        }

        private func failure(_ error: RequestTemplate.MissingPlaceholder, at place: String) -> ExtractError {
            var message = "\(place): unknown placeholder {\(error.name)}"
            if error.name == "incremental.start_value", resource.endpoint.incremental != nil {
                message =
                    "\(place): {incremental.start_value} has no value: no cursor is stored yet "
                    + "and incremental has no initial_value"
            }
            let available = error.available.map { "{\($0)}" }.joined(separator: ", ")
            return ExtractError(
                .configuration, resource: resource.name,
                message: message + "; available here: \(available)")
        }
    }
}
