/// Why a resource could not be read: which resource, which request (secrets redacted),
/// what the server said, after how many attempts, and what to check.
public struct ExtractError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case status(Int)
        case transport
        case invalidResponse
        case pagination
        case job
        case configuration
        /// The caller no longer wanted the answer (a prefetched page the walk did not need).
        case cancelled
    }

    public var kind: Kind
    public var resource: String
    public var method: String
    public var url: String
    public var attempts: Int
    public var message: String
    /// Set when the request got no complete answer (the transport failed): such a failure
    /// may be retried, and it counts as a request when it was `sent`.
    var unanswered: TransportFailure?

    public init(
        _ kind: Kind, resource: String, method: String = "GET", url: String = "", attempts: Int = 1, message: String
    ) {
        self.kind = kind
        self.resource = resource
        self.method = method
        self.url = url
        self.attempts = attempts
        self.message = message
    }

    public var status: Int? { if case .status(let s) = kind { return s } else { return nil } }

    public var description: String {
        var text = "resource '\(resource)': "
        if !url.isEmpty { text += "\(method) \(url) " }
        switch kind {
        case .status(let s): text += "answered HTTP \(s)"
        case .transport: text += "failed to connect or read"
        case .invalidResponse: text += "returned an unusable response"
        case .pagination: text += "pagination stopped"
        case .job: text += "export job failed"
        case .configuration: text += "cannot be requested"
        case .cancelled: text += "was cancelled"
        }
        if attempts > 1 || kind == .transport { text += " after \(attempts) attempt\(attempts == 1 ? "" : "s")" }
        if !message.isEmpty { text += ": \(message)" }
        if let hint { text += " (\(hint))" }
        return text
    }

    var hint: String? {
        switch kind {
        case .status(401), .status(403): return "check the credentials this source's auth names in sources.yaml"
        case .status(404): return "check the endpoint path and the ids it was given"
        case .status(429): return "rate limited: lower rate_limit.requests_per_second for this source"
        default: return nil
        }
    }
}
