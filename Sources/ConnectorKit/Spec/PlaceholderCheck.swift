/// Resolves every `{placeholder}` of a source's request templates against the names that will
/// have a value there at run time — partitions (and a time window's `.start` / `.end`),
/// parameters resolved from a parent, `incremental.start_value` (and `.end_value` with an
/// `end_value`), and `job_id` in an async job's paths — so that loading (and so `validate`)
/// rejects what would fail mid-run, with the location, what is available there and the
/// nearest valid name.
enum PlaceholderCheck {
    static func check(_ source: SourceSpec) throws(SpecError) {
        for resource in source.resources { try check(resource) }
    }

    /// One template and where it sits, for messages ("params 'since'").
    private struct Template {
        let text: String
        let location: SpecLocation?
        let position: String

        init(text: String, location: SpecLocation?, position: String) {
            self.text = text
            self.location = location
            self.position = position
        }

        init(_ value: ConfigString, position: String) {
            self.init(text: value.value, location: value.location, position: position)
        }
    }

    static func check(_ resource: ResourceSpec) throws(SpecError) {
        let endpoint = resource.endpoint
        let names = available(resource)
        var request = [Template(endpoint.path, position: "path")]
        for (name, value) in endpoint.params {
            if case .value(let v) = value {
                request.append(Template(v, position: "params '\(name)'"))
            }
        }
        for (name, value) in endpoint.headers {
            request.append(Template(value, position: "headers '\(name)'"))
        }
        request += endpoint.json.map { strings($0, position: "json") } ?? []
        try check(request, available: names, resource: resource)

        guard let job = resource.asyncJob else { return }
        var jobTemplates = [Template(job.pollPath, position: "async_job poll path")]
        if case .path(let download) = job.download {
            jobTemplates.append(Template(download, position: "async_job download path"))
        }
        if let cancel = job.cancel {
            jobTemplates.append(Template(cancel.path, position: "async_job cancel path"))
            jobTemplates += cancel.json.map { strings($0, position: "async_job cancel json") } ?? []
        }
        try check(jobTemplates, available: names + ["job_id"], resource: resource)
    }

    /// The names with a value in a resource's request, in the order they are declared.
    static func available(_ resource: ResourceSpec) -> [String] {
        var names: [String] = []
        for p in resource.endpoint.partitions {
            names.append(p.name)
            if case .timeWindows = p.kind { names += [p.name + ".start", p.name + ".end"] }
        }
        for (name, value) in resource.endpoint.params {
            if case .resolve = value { names.append(name) }
        }
        if let incremental = resource.endpoint.incremental {
            names.append("incremental.start_value")
            if incremental.endValue != nil { names.append("incremental.end_value") }
        }
        return names
    }

    private static func check(_ templates: [Template], available: [String], resource: ResourceSpec) throws(SpecError) {
        for template in templates {
            for name in PlaceholderSyntax.names(in: template.text) {
                if available.contains(name) {
                    if name == "incremental.start_value", resource.endpoint.incremental?.initialValue == nil {
                        let place = "the \(template.position) of resource '\(resource.name)'"
                        throw SpecError(
                            "{incremental.start_value} in \(place) has no value on a first run: "
                                + "give incremental an initial_value", at: template.location)
                    }
                    continue
                }
                throw SpecError(
                    message(name, template, available: available, resource: resource), at: template.location)
            }
        }
    }

    private static func message(
        _ name: String, _ template: Template, available: [String],
        resource: ResourceSpec
    ) -> String {
        var text = "unknown placeholder {\(name)} in the \(template.position) of resource '\(resource.name)'"
        if let hint = hint(name, available: available, resource: resource) { text += "; " + hint }
        text += text.hasSuffix("?") ? " " : ". "
        let list = available.map { "{\($0)}" }.joined(separator: ", ")
        return text
            + (available.isEmpty
                ? "Nothing is available here: placeholders come from partitions, parameters resolved from a parent, "
                    + "incremental (start_value, end_value) and, in async_job paths, job_id"
                : "Available here: \(list)")
    }

    private static func hint(_ name: String, available: [String], resource: ResourceSpec) -> String? {
        let parts = name.split(separator: ".").map(String.init)
        if parts.count == 3, parts[0] == "resources" {
            // dlt's spelling of a parent's field.
            let resolved = resource.endpoint.params.first { param in
                guard case .resolve(let r, let f) = param.value else { return false }
                return r == parts[1] && f == parts[2]
            }
            if let resolved {
                return "did you mean {\(resolved.name)}? (the parameter that resolves \(parts[1]).\(parts[2]))"
            }
            return "a parent's field is a parameter here: declare "
                + "`<name>: {type: resolve, resource: \(parts[1]), field: \(parts[2])}` under params and write {<name>}"
        }
        if name == "job_id" { return "{job_id} has a value only in async_job poll, download and cancel" }
        if name == "incremental.end_value" { return "{incremental.end_value} needs an incremental with end_value" }
        return Suggest.nearest(name, in: available).map { "did you mean {\($0)}?" }
    }

    /// The strings of a JSON body template, each with its own location ("json 'filter.since'").
    private static func strings(_ template: JSONTemplate, position: String, path: String = "") -> [Template] {
        switch template {
        case .literal: return []
        case .string(let s, let location):
            return [Template(text: s, location: location, position: path.isEmpty ? position : "\(position) '\(path)'")]
        case .array(let items):
            return items.enumerated().flatMap { i, item in strings(item, position: position, path: "\(path)[\(i)]") }
        case .object(let pairs):
            return pairs.flatMap { strings($0.1, position: position, path: path.isEmpty ? $0.0 : "\(path).\($0.0)") }
        }
    }
}
