/// How sure an inference is; written beside the key it explains.
public enum Confidence: String, Sendable, Comparable {
    case low, medium, high

    var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        }
    }

    public static func < (a: Confidence, b: Confidence) -> Bool { a.rank < b.rank }
}

/// One inferred value with how sure it is and why, so that a reviewer reads the reason next to the key.
public struct Guess<Value: Sendable>: Sendable {
    public var value: Value
    public var confidence: Confidence
    public var reason: String

    public init(_ value: Value, _ confidence: Confidence, _ reason: String) {
        self.value = value
        self.confidence = confidence
        self.reason = reason
    }

    /// `high: reason` — the comment written beside the key.
    public var comment: String { "\(confidence.rawValue): \(reason)" }
}

/// A source drafted from an OpenAPI document: what `connector init --openapi` writes, before it is YAML.
public struct SourceDraft: Sendable {
    public var name: String
    public var title: String
    public var baseURL: Guess<String>
    public var auth: AuthDraft?
    public var resources: [ResourceDraft] = []
    /// Operations worth a look that are not loaded as they stand (a POST that starts an export job).
    public var candidates: [CandidateDraft] = []
    /// `${NAME_…}` variables the draft reads, with what each holds.
    public var variables: [(name: String, meaning: String)] = []
    /// Unresolved references, unsupported constructs and low-confidence guesses, for the reviewer.
    public var notes: [String] = []
}

/// Credentials for the client, as sources.yaml's `auth` mapping: `key: value` pairs in order.
public struct AuthDraft: Sendable {
    public var type: String
    public var fields: [(key: String, value: String)]
    /// Header or query values sent together (`headers: {…}` / `query: {…}` of `api_key`).
    public var headers: [(key: String, value: String)] = []
    public var query: [(key: String, value: String)] = []
    public var why: Guess<String>
}

/// One GET operation drafted as a resource.
public struct ResourceDraft: Sendable {
    public var name: String
    public var method: String
    public var path: String
    public var summary: String
    public var params: [(name: String, value: Guess<String>)] = []
    public var parent: ParentDraft?
    public var dataSelector: Guess<String>?
    public var primaryKey: Guess<[String]>?
    public var paginator: Guess<String>
    public var incremental: Guess<String>?
    /// A documented 404 for a child: some parent records have no such child.
    public var ignore404 = false
    /// A required parameter no parent feeds: a list partition (path) or a parameter (query) from a variable.
    public var unfed: (param: String, variable: String, inPath: Bool)?
    /// Why the resource is drafted `enabled: false`.
    public var disabledBecause: String?
    public var writeDisposition: String { primaryKey == nil ? "replace" : "merge" }
}

/// A parameter filled from a parent resource's records: `{type: resolve, resource, field}`.
public struct ParentDraft: Sendable {
    public var param: String
    public var resource: String
    public var field: String
    public var inPath: Bool
    public var why: Guess<String>
}

/// An operation listed as a commented candidate (not loaded as drafted).
public struct CandidateDraft: Sendable {
    public var method: String
    public var path: String
    public var summary: String
    public var why: String
}
