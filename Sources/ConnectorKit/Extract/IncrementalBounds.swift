/// The incremental range of one work item as the API is asked for it: the start (stored cursor
/// or initial value) and the `end_value`, converted from how records carry the cursor to the
/// `request_format`, as the `{incremental.start_value}` / `{incremental.end_value}`
/// placeholders and the `start_param` / `end_param` query parameters.
struct IncrementalBounds {
    private(set) var placeholders: [String: String] = [:]
    private(set) var params: [(String, String)] = []

    init(resource: ResourceSpec, start: String?) throws {
        guard let spec = resource.endpoint.incremental else { return }
        if let start {
            let value = try Self.converted(start, spec: spec, isEnd: false, resource: resource)
            placeholders["incremental.start_value"] = value
            if let param = spec.startParam { params.append((param, value)) }
        }
        if let end = spec.endValue {
            let value = try Self.converted(
                try end.required("incremental end_value"), spec: spec, isEnd: true, resource: resource)
            placeholders["incremental.end_value"] = value
            if let param = spec.endParam { params.append((param, value)) }
        }
    }

    private static func converted(_ value: String, spec: IncrementalSpec, isEnd: Bool, resource: ResourceSpec)
        throws -> String
    {
        if let converted = spec.requestValue(value, isEnd: isEnd) { return converted }
        let format = spec.cursorFormat == nil ? "ISO 8601 (set cursor_format)" : "its cursor_format"
        throw ExtractError(
            .configuration, resource: resource.name,
            message: "incremental \(isEnd ? "end" : "start") value '\(value)' cannot be written in the "
                + "request_format: it is not in \(format)")
    }
}
