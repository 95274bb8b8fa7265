/// What a step knows about a request besides the request itself.
public struct RequestContext: Sendable {
    /// The resource the request is for: errors name it, stats and the circuit breaker count per resource.
    public var resource: String
    /// The credentials for the configured origin (the endpoint's own, or the source's).
    public var auth: any Authenticator
    /// Masks secrets in the URLs and messages of errors.
    public var redactor: Redactor
    /// The attempt this request is (1 for the first); the retry step counts up.
    public var attempt = 1
    /// The endpoint's `response_actions`: the retry step asks them whether to send again.
    public var responseRules = ResponseRules.none

    public init(resource: String, auth: any Authenticator, redactor: Redactor) {
        self.resource = resource
        self.auth = auth
        self.redactor = redactor
    }

    /// An error about `request`, its URL redacted.
    func failure(_ kind: ExtractError.Kind, _ request: HTTPRequest, attempts: Int, message: String) -> ExtractError {
        ExtractError(
            kind, resource: resource, method: request.method, url: redactor.redactURL(request.url),
            attempts: attempts, message: message)
    }
}

/// The rest of the chain, as a step sees it.
public typealias HTTPNext = (HTTPRequest, RequestContext) async throws(ExtractError) -> HTTPResponse

/// One concern of sending a request (retries, redirects, credentials, limits, counting), as
/// middleware: it may change the request, call `next` zero or more times, and judge the
/// answer. Every step has this one signature, so each is small and tested alone.
public protocol HTTPStep: Sendable {
    func handle(
        _ request: HTTPRequest, context: RequestContext,
        next: HTTPNext
    ) async throws(ExtractError) -> HTTPResponse
}

/// Steps run in order, the first outermost, ending at the transport.
public struct HTTPChain: Sendable {
    public let steps: [any HTTPStep]
    public let end: @Sendable (HTTPRequest, RequestContext) async throws(ExtractError) -> HTTPResponse

    public init(
        _ steps: [any HTTPStep],
        end: @escaping @Sendable (HTTPRequest, RequestContext) async throws(ExtractError) -> HTTPResponse
    ) {
        self.steps = steps
        self.end = end
    }

    public func send(_ request: HTTPRequest, context: RequestContext) async throws(ExtractError) -> HTTPResponse {
        try await run(from: 0, request, context)
    }

    private func run(
        from index: Int, _ request: HTTPRequest,
        _ context: RequestContext
    ) async throws(ExtractError) -> HTTPResponse {
        guard index < steps.count else { return try await end(request, context) }
        return try await steps[index].handle(request, context: context) { r, c throws(ExtractError) in
            try await run(from: index + 1, r, c)
        }
    }
}
