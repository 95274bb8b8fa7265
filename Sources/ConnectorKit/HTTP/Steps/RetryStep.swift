/// Sends again after a retryable status or a transport failure, waiting a full-jitter backoff
/// or the server's `Retry-After`, until `maxAttempts` or the run's retry budget is spent; then
/// the last failure is final. Any other answer is returned for the caller to judge.
public struct RetryStep: HTTPStep {
    static let retryableStatuses: Set<Int> = [408, 425, 429, 500, 502, 503, 504]
    let spec: RetrySpec
    let stats: RequestStats
    let delays: RetryDelays

    public init(spec: RetrySpec, stats: RequestStats, clock: any RunClock, jitter: any JitterSource) {
        self.spec = spec
        self.stats = stats
        self.delays = RetryDelays(spec: spec, clock: clock, jitter: jitter)
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
                guard Self.retryableStatuses.contains(response.status) else { return response }
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
            try? await delays.clock.sleep(seconds: delay)
            attempt += 1
        }
    }
}

extension ExtractError {
    /// A transport failure (no complete answer) that another attempt may fix.
    var isRetryable: Bool { kind == .transport && unanswered != nil }
}
