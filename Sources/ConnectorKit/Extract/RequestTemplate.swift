/// Fills `{placeholder}`s in paths, parameters and JSON bodies from a work item.
public enum RequestTemplate {
    public struct MissingPlaceholder: Error, Sendable {
        public let name: String
        public let available: [String]
    }

    /// Replaces every `{name}`; `encode` percent-encodes the values (for URL paths).
    public static func render(_ template: String, _ values: [String: String], encode: Bool = false)
        throws(MissingPlaceholder) -> String
    {
        guard template.containsBytes("{") else { return template }
        var out = ""
        for part in PlaceholderSyntax.parts(template) {
            switch part {
            case .text(let text): out += text
            case .placeholder(let name):
                guard let value = values[name] else {
                    throw MissingPlaceholder(name: name, available: values.keys.sorted())
                }
                out += encode ? URLText.encode(value) : value
            }
        }
        return out
    }

    public static func renderJSON(_ template: JSONTemplate, _ values: [String: String]) throws(MissingPlaceholder)
        -> String
    {
        switch template {
        case .literal(let s): return s
        case .string(let s, _): return JSONText.quote(try render(s, values))
        case .array(let items):
            var parts: [String] = []
            for i in items { parts.append(try renderJSON(i, values)) }
            return "[" + parts.joined(separator: ",") + "]"
        case .object(let pairs):
            var parts: [String] = []
            for (k, v) in pairs { parts.append(JSONText.quote(k) + ":" + (try renderJSON(v, values))) }
            return "{" + parts.joined(separator: ",") + "}"
        }
    }
}
