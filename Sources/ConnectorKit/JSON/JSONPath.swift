/// A dotted path into a JSON document (`pagination.nextPageSkip`, `job.status`, `items.0.id`);
/// `$` or an empty path is the document itself.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    public enum Step: Sendable, Hashable { case key(String), index(Int) }
    public let steps: [Step]
    public let text: String

    public init(_ text: String) {
        self.text = text
        var t = Substring(text)
        if t.hasPrefix("$") { t = t.dropFirst() }
        if t.hasPrefix(".") { t = t.dropFirst() }
        steps = t.split(separator: ".").map { part in
            if let i = Int(part), i >= 0 { return .index(i) }
            var p = part
            if p.hasPrefix("[") && p.hasSuffix("]") { p = p.dropFirst().dropLast() }
            if p.hasPrefix("'") && p.hasSuffix("'") && p.count >= 2 { p = p.dropFirst().dropLast() }
            return .key(String(p))
        }
    }

    public var description: String { text }
    public var isRoot: Bool { steps.isEmpty }

    public func evaluate(_ value: JSONValue) -> JSONValue? {
        var current = value
        for step in steps {
            switch step {
            case .key(let k):
                guard current.kind == .object, let next = current[k] else { return nil }
                current = next
            case .index(let i):
                guard current.kind == .array else { return nil }
                var n = 0
                var found: JSONValue?
                for element in current.elements { if n == i { found = element; break }; n += 1 }
                guard let found else { return nil }
                current = found
            }
        }
        return current
    }
}
