import Foundation
import Logging

/// Every request of one source goes through here, down a chain of `HTTPStep`s: redirects
/// followed by hand → retries with backoff → circuit breaker → credentials for the configured
/// origin only → the origin's rate and concurrency limits → counting → (a log line per
/// attempt, when given a logger) → the transport.
public final class SourceClient: Sendable {
    public let baseURL: String
    public let origin: String?
    let transport: HTTPTransport
    public let redactor: Redactor
    public let stats = RequestStats()
    /// Time for retries, rate limits and job polls (a test clock in tests).
    public let clock: any RunClock
    let chain: HTTPChain
    /// Token requests (OAuth 2 client credentials): retried and counted like any request, but
    /// no redirect is followed and no source credential or header is added (`TokenClient`).
    let tokenChain: HTTPChain
    /// One token authenticator per token client of the source, so its resources share a token.
    let tokenAuthenticators = LockedBox([String: OAuth2Authenticator]())

    public init(
        baseURL: String, transport: HTTPTransport, limiter: RequestLimiter, retry: RetrySpec,
        timeoutSeconds: Double, headers: [(String, String)], redactor: Redactor,
        clock: any RunClock = SystemClock(), jitter: any JitterSource = RandomJitter(),
        onRetry: @escaping @Sendable (RetryNotice) -> Void = { _ in }, logger: Logger? = nil
    ) {
        self.baseURL = baseURL
        self.origin = URLText.origin(baseURL)
        self.transport = transport
        self.redactor = redactor
        self.clock = clock
        let end = TransportStep(transport: transport, timeoutSeconds: timeoutSeconds)
        let retryStep = RetryStep(spec: retry, stats: stats, clock: clock, jitter: jitter, onRetry: onRetry)
        tokenChain = HTTPChain([retryStep, CountStep(stats: stats)], end: end.send)
        chain = HTTPChain(
            [
                RedirectStep(),
                retryStep,
                CircuitBreakerStep(limit: retry.circuitBreaker, stats: stats, retryable: retry.statuses),
                CredentialStep(origin: origin, headers: headers, redactor: redactor),
                RateLimitStep(limiter: limiter),
                CountStep(stats: stats),
            ] + (logger.map { [LogStep(logger: $0)] } ?? []), end: end.send)
    }

    /// Closes the connections (call once, when the source is done).
    public func shutdown() async { await transport.shutdown() }

    /// Sends until a final answer. A retryable status that persists, or a transport failure
    /// (no connection, a stall past a deadline), throws; any other status is returned for the
    /// caller to judge. Only requests that reached the wire are counted. `rules` (an endpoint's
    /// `response_actions`) may make the retry step retry another status, or not retry one.
    public func send(
        _ request: HTTPRequest, auth: any Authenticator,
        resource: String, rules: ResponseRules = .none
    ) async throws(ExtractError) -> (HTTPResponse, attempts: Int) {
        var context = RequestContext(resource: resource, auth: auth, redactor: redactor)
        context.responseRules = rules
        let response = try await chain.send(request, context: context)
        return (response, response.attempts)
    }

    static func snippet(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        return text.replacingAll("\n", with: " ") + (body.count > 300 ? "…" : "")
    }

    /// Throws for a non-2xx answer, unless the caller declared it ignorable.
    public func require(_ response: HTTPResponse, attempts: Int, request: HTTPRequest, resource: String)
        throws(ExtractError)
    {
        guard (200..<300).contains(response.status) else {
            throw ExtractError(
                .status(response.status), resource: resource, method: request.method,
                url: redactor.redactURL(request.url), attempts: attempts,
                message: redactor.redact(Self.snippet(response.body)))
        }
    }
}
