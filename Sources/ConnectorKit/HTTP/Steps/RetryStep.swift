/// Sends again after a retryable status (`client.retry.statuses`) or a transport failure, waiting a full-jitter backoff
/// or the server's `Retry-After`, until `maxAttempts` or the run's retry budget is spent; then
/// the last failure is final. Any other answer is returned for the caller to judge. An
/// endpoint's `response_actions` overrule the default: a matching `retry` rule retries any
/// status, any other matching rule returns the answer unretried.
public struct RetryStep: HTTPStep {
    let spec: RetrySpec
    let stats: RequestStats
    let delays: RetryDelays
    /// Told of every retry before its wait, so a person sees what the run is waiting for.
    let onRetry: @Sendable (RetryNotice) -> Void

    public init(
        spec: RetrySpec, stats: RequestStats, clock: any RunClock, jitter: any JitterSource,
        onRetry: @escaping @Sendable (RetryNotice) -> Void = { _ in }
    ) {
        self.spec = spec
        self.stats = stats
        self.delays = RetryDelays(spec: spec, clock: clock, jitter: jitter)
        self.onRetry = onRetry
    }

    public func handle(
        _ request: HTTPRequest, context: RequestContext,
        next: HTTPNext
    ) async throws(ExtractError) -> HTTPResponse {
        var attempt = context.attempt
        while true {
            if Task.isCancelled { throw context.failure(.cancelled, request, attempts: 0, message: "") }
            var attemptContext = context
            attemptContext.attempt = attempt
            let failure: ExtractError, delay: Double
            do throws(ExtractError) {
                var response = try await next(request, attemptContext)
                response.attempts = attempt
                let retryable = spec.statuses.contains(response.status)
                guard context.responseRules.retries(response, byDefault: retryable) else { return response }
                failure = context.failure(
                    .status(response.status), request, attempts: attempt,
                    message: context.redactor.redact(SourceClient.snippet(response.body)))
                delay = delays.retryAfter(response) ?? delays.backoff(attempt)
            } catch  where error.isRetryable {
                failure = context.failure(.transport, request, attempts: attempt, message: error.message)
                delay = delays.backoff(attempt)
            }
            guard attempt < spec.maxAttempts, stats.total.retries < spec.runBudget else { throw failure }
            stats.count(context.resource, retry: 1)
            onRetry(RetryNotice(failure: failure, nextAttempt: attempt + 1, maxAttempts: spec.maxAttempts, wait: delay))
            try? await delays.clock.sleep(seconds: delay)
            attempt += 1
        }
    }
}

/// A retry about to happen: what failed (resource, method, redacted URL, why), which attempt comes
/// next, and how long the run waits for it.
public struct RetryNotice: Sendable, CustomStringConvertible {
    public let failure: ExtractError
    public let nextAttempt: Int
    public let maxAttempts: Int
    public let wait: Double

    /// `GET http://…/calls?skip=100: HTTP 503 …; retry 2/6 in 4 s`
    public var description: String {
        let reason: String
        if let status = failure.status { reason = "HTTP \(status)" } else { reason = failure.message }
        let seconds = wait >= 10 ? String(format: "%.0f", wait) : String(format: "%.1f", wait)
        return "\(failure.method) \(failure.url): \(reason); retry \(nextAttempt)/\(maxAttempts) in \(seconds) s"
    }
}

extension ExtractError {
    /// A transport failure (no complete answer) that another attempt may fix.
    var isRetryable: Bool { kind == .transport && unanswered != nil }
}
