/// The `{placeholder}` syntax of paths, parameters and JSON bodies, read by the spec check
/// (`PlaceholderCheck`: is every name available?) and by the extractor (`RequestTemplate`: fill them in).
public enum PlaceholderSyntax {
    /// A template's literal text and `{placeholder}`s, in order; a `{` without a `}` is text.
    public enum Part: Equatable, Sendable {
        case text(Substring)
        case placeholder(String)
    }

    public static func parts(_ template: String) -> [Part] {
        var parts: [Part] = []
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            if open > rest.startIndex { parts.append(.text(rest[..<open])) }
            parts.append(.placeholder(String(rest[rest.index(after: open)..<close])))
            rest = rest[rest.index(after: close)...]
        }
        if !rest.isEmpty { parts.append(.text(rest)) }
        return parts
    }

    /// The placeholder names of a template, in order.
    public static func names(in template: String) -> [String] {
        parts(template).compactMap { if case .placeholder(let name) = $0 { return name } else { return nil } }
    }
}
