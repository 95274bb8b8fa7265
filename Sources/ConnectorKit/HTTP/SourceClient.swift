import Foundation

/// Every request of one source goes through here: concurrency and rate limits, credentials
/// and secrets only for the configured origin, retries with backoff, redirects followed by hand.
public final class SourceClient: Sendable {
    public let baseURL: String
    public let origin: String?
    let scope: CredentialScope
    let transport: HTTPTransport
    let limiter: RequestLimiter
    let retry: RetrySpec
    let timeoutSeconds: Double
    let defaultHeaders: [(String, String)]
    public let redactor: Redactor
    public let stats = RequestStats()

    public init(baseURL: String, transport: HTTPTransport, limiter: RequestLimiter, retry: RetrySpec,
                timeoutSeconds: Double, headers: [(String, String)], redactor: Redactor) {
        self.baseURL = baseURL
        self.origin = URLText.origin(baseURL)
        self.scope = CredentialScope(origin: URLText.origin(baseURL), redactor: redactor)
        self.transport = transport
        self.limiter = limiter
        self.retry = retry
        self.timeoutSeconds = timeoutSeconds
        self.defaultHeaders = headers
        self.redactor = redactor
    }

    /// Closes the connections (call once, when the source is done).
    public func shutdown() async { await transport.shutdown() }

    static let retryableStatuses: Set<Int> = [408, 425, 429, 500, 502, 503, 504]

    /// Sends until a final answer. A retryable status that persists, or a transport failure
    /// (no connection, a stall past a deadline), throws; any other status is returned for the
    /// caller to judge. Only requests that reached the wire are counted.
    public func send(_ request: HTTPRequest, auth: any Authenticator, resource: String) async throws(ExtractError) -> (HTTPResponse, attempts: Int) {
        var current = request
        var redirects = 0
        var attempt = 0
        while true {
            attempt += 1
            let streak = stats.of(resource).failureStreak
            if Task.isCancelled { throw Self.cancelled(current, resource: resource, redactor: redactor) }
            if streak >= retry.circuitBreaker {
                throw ExtractError(.transport, resource: resource, method: current.method, url: redactor.redactURL(current.url),
                                   attempts: attempt - 1, message: "circuit breaker open after \(streak) failed attempts in a row; the resource stops while the others finish")
            }
            let outgoing = try prepare(current, auth: auth, resource: resource)
            switch try await exchange(outgoing, resource: resource) {
            case .failure(let failure):
                stats.count(resource, failed: true)
                guard attempt < retry.maxAttempts, stats.total.retries < retry.runBudget else {
                    throw ExtractError(.transport, resource: resource, method: current.method, url: redactor.redactURL(current.url),
                                       attempts: attempt, message: redactor.redact(failure.description))
                }
                stats.count(resource, retry: 1)
                await sleep(backoff(attempt))
            case .success(let response):
                if (300..<400).contains(response.status), response.status != 304, let location = response.header("Location") {
                    redirects += 1
                    guard redirects <= 5 else {
                        throw ExtractError(.invalidResponse, resource: resource, method: current.method, url: redactor.redactURL(current.url),
                                           attempts: attempt, message: "more than 5 redirects")
                    }
                    current.url = URLText.isAbsolute(location) ? location : (URLText.origin(current.url).map { $0 + (location.hasPrefix("/") ? "" : "/") + location } ?? location)
                    if response.status == 303 { current.method = "GET"; current.body = nil }
                    attempt -= 1
                    continue
                }
                if Self.retryableStatuses.contains(response.status) {
                    stats.count(resource, failed: true)
                    guard attempt < retry.maxAttempts, stats.total.retries < retry.runBudget else {
                        throw ExtractError(.status(response.status), resource: resource, method: current.method,
                                           url: redactor.redactURL(current.url), attempts: attempt,
                                           message: redactor.redact(Self.snippet(response.body)))
                    }
                    stats.count(resource, retry: 1)
                    await sleep(retryAfter(response) ?? backoff(attempt))
                    continue
                }
                stats.count(resource, failed: false)
                return (response, attempt)
            }
        }
    }

    /// The request as it goes out: the source's headers, then credentials at home only (see
    /// `CredentialScope`); a header that cannot be sent is a configuration error, not retried.
    private func prepare(_ request: HTTPRequest, auth: any Authenticator,
                         resource: String) throws(ExtractError) -> HTTPRequest {
        var outgoing = request
        for header in defaultHeaders where !outgoing.headers.contains(where: { $0.0.lowercased() == header.0.lowercased() }) {
            outgoing.headers.append(header)
        }
        scope.scope(&outgoing, auth: auth)
        if let invalid = HeaderCheck.firstInvalid(outgoing.headers) {
            throw ExtractError(.configuration, resource: resource, method: request.method, url: redactor.redactURL(request.url),
                               attempts: 0, message: "header '\(invalid.name)' cannot be sent: \(invalid.reason)")
        }
        return outgoing
    }

    /// One attempt on the wire, within the source's limits. Counts the request if it was sent;
    /// a cancelled attempt (a prefetch no longer needed) throws instead of counting as a failure.
    private func exchange(_ request: HTTPRequest,
                          resource: String) async throws(ExtractError) -> Result<HTTPResponse, TransportFailure> {
        await limiter.acquire()
        if Task.isCancelled {
            await limiter.release()
            throw Self.cancelled(request, resource: resource, redactor: redactor)
        }
        let result: Result<HTTPResponse, TransportFailure>
        do {
            result = .success(try await transport.execute(request, timeoutSeconds: timeoutSeconds))
        } catch {
            result = .failure(error)
        }
        await limiter.release()
        switch result {
        case .success(let response):
            stats.count(resource, request: 1, bytes: response.body.count)
        case .failure(let failure):
            if failure.sent { stats.count(resource, request: 1) }
            if failure.isCancellation || Task.isCancelled {
                throw Self.cancelled(request, resource: resource, redactor: redactor)
            }
        }
        return result
    }

    static func cancelled(_ request: HTTPRequest, resource: String, redactor: Redactor) -> ExtractError {
        ExtractError(.cancelled, resource: resource, method: request.method, url: redactor.redactURL(request.url), attempts: 0,
                     message: "")
    }

    /// Full-jitter exponential backoff.
    func backoff(_ attempt: Int) -> Double {
        let cap = min(retry.maxDelay, retry.baseDelay * pow(2, Double(attempt - 1)))
        return Double.random(in: (cap / 2)...max(cap / 2, cap))
    }

    func retryAfter(_ response: HTTPResponse) -> Double? {
        guard let value = response.header("Retry-After")?.trimmingSpaces, let seconds = Double(value) else { return nil }
        return min(max(0, seconds), retry.maxDelay)
    }

    private func sleep(_ seconds: Double) async {
        if seconds > 0 { try? await Task.sleep(for: .milliseconds(Int(seconds * 1000))) }
    }

    static func snippet(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(300), as: UTF8.self)
        return text.replacingAll("\n", with: " ") + (body.count > 300 ? "…" : "")
    }

    /// Throws for a non-2xx answer, unless the caller declared it ignorable.
    public func require(_ response: HTTPResponse, attempts: Int, request: HTTPRequest, resource: String) throws(ExtractError) {
        guard (200..<300).contains(response.status) else {
            throw ExtractError(.status(response.status), resource: resource, method: request.method,
                               url: redactor.redactURL(request.url), attempts: attempts,
                               message: redactor.redact(Self.snippet(response.body)))
        }
    }
}

/// Request counters of a source, in total and per resource.
public final class RequestStats: Sendable {
    public struct Counts: Sendable { public var requests = 0, retries = 0, bytes = 0, failureStreak = 0 }
    private let storage = LockedBox([String: Counts]())
    public init() {}

    func count(_ resource: String, request: Int = 0, retry: Int = 0, bytes: Int = 0) {
        storage.withLock {
            $0[resource, default: Counts()].requests += request
            $0[resource, default: Counts()].retries += retry
            $0[resource, default: Counts()].bytes += bytes
        }
    }

    /// Tracks failed attempts in a row; a success resets the streak.
    func count(_ resource: String, failed: Bool) {
        storage.withLock { $0[resource, default: Counts()].failureStreak = failed ? ($0[resource]?.failureStreak ?? 0) + 1 : 0 }
    }

    public func of(_ resource: String) -> Counts { storage.withLock { $0[resource] ?? Counts() } }

    public var total: Counts {
        storage.withLock { all in
            all.values.reduce(into: Counts()) { $0.requests += $1.requests; $0.retries += $1.retries; $0.bytes += $1.bytes }
        }
    }
}
