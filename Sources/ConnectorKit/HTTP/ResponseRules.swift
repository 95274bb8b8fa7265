/// An endpoint's `response_actions`, applied to answers: the first rule whose status and
/// content match decides what happens. The retry step asks it whether to send again; the page
/// walk asks it whether to ignore, fail or load an answer. An answer no rule matches is judged
/// as always (see `RetryStep`, `SourceClient.require`).
public struct ResponseRules: Sendable {
    public let rules: [ResponseActionSpec]

    /// No rules: every answer judged as always.
    public static let none = ResponseRules([])

    public init(_ rules: [ResponseActionSpec]) { self.rules = rules }

    /// The first rule matching `response`, if any. The body is read (and parsed, for a `path`
    /// rule) only for rules whose status matches.
    public func match(_ response: HTTPResponse) -> ResponseActionSpec? {
        var parser: JSONParser?  // made for the first `path` rule that needs it; owns `document`
        var document: JSONValue??
        for rule in rules where rule.matches(status: response.status) {
            switch rule.content {
            case nil:
                return rule
            case .contains(let text):
                if Self.contains(response.body, Array(text.utf8)) { return rule }
            case .path(let path, let equals):
                if document == nil {
                    let made = parser ?? JSONParser()
                    parser = made
                    document = .some(try? made.parse(response.body))
                }
                guard let root = document ?? nil, let value = JSONPath(path).evaluate(root), value.kind != .null
                else { continue }
                guard let equals else { return rule }
                if let text = value.scalarText, equals.contains(text) { return rule }
            }
        }
        return nil
    }

    /// Whether the retry step sends `response`'s request again: a matching rule says `retry`
    /// or not; without one, `byDefault` (the status is one retried by default).
    func retries(_ response: HTTPResponse, byDefault: Bool) -> Bool {
        guard let rule = match(response) else { return byDefault }
        return rule.action == .retry
    }

    /// True when `needle` occurs in `haystack` (byte-wise, so no decoding of a large body).
    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first else { return true }
        guard haystack.count >= needle.count else { return false }
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}
