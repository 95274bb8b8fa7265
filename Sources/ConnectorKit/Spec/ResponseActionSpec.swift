/// One rule of an endpoint's `response_actions`: which answers it matches (by HTTP status
/// and/or body content) and what the engine does with them. Rules are tried in order; the
/// first that matches decides, and an answer no rule matches is judged as always (2xx is data,
/// a retryable status is retried, any other status fails the resource). It is how a spec says
/// "this API answers a job's state with 400/500 and that is data" or "404 here means no data"
/// without code (dlt `rest_api`'s key of the same name; `ignore_statuses` is its shorthand).
public struct ResponseActionSpec: Sendable {
    /// What happens to a matching answer.
    public enum Action: String, Sendable, CaseIterable {
        /// Loads nothing from it and ends the work item; counted in the report.
        case ignore
        /// Sends again, with the source's backoff and attempt budget (even a status not
        /// retried by default); when the attempts run out, the resource fails.
        case retry
        /// Fails the resource with `message` (and the status and body), without retrying.
        case fail
        /// Treats the answer as data although its status is not 2xx; counted in the report.
        case load
    }

    /// A status the rule matches: one code, or a class (`4xx` → 4).
    public enum Status: Sendable, Hashable, CustomStringConvertible {
        case code(Int)
        case range(Int)

        public func matches(_ status: Int) -> Bool {
            switch self {
            case .code(let c): return status == c
            case .range(let hundreds): return status / 100 == hundreds
            }
        }

        public var description: String {
            switch self {
            case .code(let c): return String(c)
            case .range(let h): return "\(h)xx"
            }
        }
    }

    /// What the body must hold for the rule to match.
    public enum Content: Sendable {
        /// The body's text contains this (case-sensitive, as dlt reads it).
        case contains(String)
        /// The body is JSON and the value at `path` exists (not null) and, when `equals` is
        /// given, is one of those values (compared as text: `200`, `true`, `DONE`).
        case path(String, equals: [String]?)
    }

    /// Empty: any status.
    public var statuses: [Status]
    public var content: Content?
    public var action: Action
    /// Said in the failure (`fail`) or next to the count in the report.
    public var message: String?
    /// Where the rule was written (nil for the `ignore_statuses` shorthand).
    public var location: SpecLocation?

    public init(
        statuses: [Status], content: Content? = nil, action: Action, message: String? = nil,
        location: SpecLocation? = nil
    ) {
        self.statuses = statuses
        self.content = content
        self.action = action
        self.message = message
        self.location = location
    }

    /// True when the status is one the rule names (or the rule names none).
    public func matches(status: Int) -> Bool {
        statuses.isEmpty || statuses.contains { $0.matches(status) }
    }
}

extension ResponseActionSpec {
    /// The keys of one `response_actions` rule (`status_code` is dlt's spelling of `status`).
    static let keys = ["status", "status_code", "content", "action", "message"]
    /// The keys of `content` written as a mapping.
    static let contentKeys = ["path", "equals"]

    /// Reads `response_actions`: a list of rules.
    static func readList(_ node: YAMLNode, reader: MappingReader) throws(SpecError) -> [ResponseActionSpec] {
        guard case .sequence(let items, _) = node else {
            throw SpecError(
                "'response_actions' must be a list of rules like {status: 404, action: ignore}, found \(node.kindName)",
                at: node.location)
        }
        var rules: [ResponseActionSpec] = []
        for (i, item) in items.enumerated() {
            rules.append(try read(try reader.reader(item, context: "response_actions[\(i)]", keys: keys)))
        }
        return rules
    }

    static func read(_ reader: MappingReader) throws(SpecError) -> ResponseActionSpec {
        var r = reader
        if r.take("status") != nil && r.take("status_code") != nil {
            throw SpecError("a rule takes 'status' or 'status_code' (the same key), not both", at: r.location)
        }
        var statusList = try r.stringList("status") ?? []
        if statusList.isEmpty { statusList = try r.stringList("status_code") ?? [] }
        var statuses: [Status] = []
        for s in statusList { statuses.append(try readStatus(s)) }
        let content = try r.take("content").map { n throws(SpecError) in try readContent(n, reader: r) }
        guard let action = try r.choice("action", Action.self) else {
            let choices = Action.allCases.map(\.rawValue).joined(separator: ", ")
            throw SpecError("\(r.context) needs 'action', one of: \(choices)", at: r.location)
        }
        if statuses.isEmpty && content == nil {
            throw SpecError(
                "\(r.context) matches every answer: give it 'status' (404, [400, 500], 5xx) and/or 'content'",
                at: r.location)
        }
        let message = try r.string("message")?.value
        try r.finish()
        return ResponseActionSpec(
            statuses: statuses, content: content, action: action, message: message, location: r.location)
    }

    /// `404`, or a class `4xx`; statuses 200–599 (3xx are redirects, followed before any rule).
    static func readStatus(_ s: ConfigString) throws(SpecError) -> Status {
        let text = s.value.lowercased()
        if text.count == 3, text.hasSuffix("xx"), let h = Int(text.prefix(1)), (2...5).contains(h), h != 3 {
            return .range(h)
        }
        guard let code = Int(text), (200...599).contains(code), code / 100 != 3 else {
            throw SpecError(
                "'status' takes HTTP statuses 200–599 (not 3xx) or a class like 4xx or 5xx, found '\(s.value)'",
                at: s.location)
        }
        return .code(code)
    }

    /// A substring, or `{path: message.status, equals: [FAILED, ERROR]}`.
    private static func readContent(_ node: YAMLNode, reader: MappingReader) throws(SpecError) -> Content {
        guard case .mapping = node else { return .contains(try reader.string(node, "'content'").value) }
        var c = try reader.reader(node, context: "'content' of \(reader.context)", keys: contentKeys)
        let path = try c.requiredString("path").value
        let equals = try c.take("equals").map { n throws(SpecError) in
            try c.stringList(n, "'equals' in 'content'").map(\.value)
        }
        try c.finish()
        return .path(path, equals: equals)
    }
}
