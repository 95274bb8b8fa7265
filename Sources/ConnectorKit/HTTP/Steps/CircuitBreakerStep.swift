/// Stops a resource after `limit` failed attempts in a row over all its concurrent requests:
/// the API is down, not flaky, and the other resources finish. Keeps the streak: a retryable
/// status or a transport failure adds one, any other final answer resets it.
public struct CircuitBreakerStep: HTTPStep {
    let limit: Int
    let stats: RequestStats
    /// The statuses the retry step retries: each counts as a failed attempt.
    let retryable: Set<Int>

    public init(limit: Int, stats: RequestStats, retryable: Set<Int> = RetrySpec.defaultStatuses) {
        self.limit = limit
        self.stats = stats
        self.retryable = retryable
    }

    public func handle(
        _ request: HTTPRequest, context: RequestContext,
        next: HTTPNext
    ) async throws(ExtractError) -> HTTPResponse {
        let streak = stats.of(context.resource).failureStreak
        if streak >= limit {
            throw context.failure(
                .transport, request, attempts: context.attempt - 1,
                message: "circuit breaker open after \(streak) failed attempts in a row;"
                    + " the resource stops while the others finish")
        }
        do throws(ExtractError) {
            let response = try await next(request, context)
            if response.redirectLocation == nil {
                stats.count(context.resource, failed: retryable.contains(response.status))
            }
            return response
        } catch {
            if error.isRetryable { stats.count(context.resource, failed: true) }
            throw error
        }
    }
}
