/// Holds a slot of the origin's `RequestLimiter` (concurrency and rate) while the request is
/// on the wire, and tells the limiter every answer (429s and rate-limit headers pace the origin).
/// A task cancelled while it waited gives the slot back without sending.
public struct RateLimitStep: HTTPStep {
    let limiter: RequestLimiter

    public init(limiter: RequestLimiter) { self.limiter = limiter }

    public func handle(
        _ request: HTTPRequest, context: RequestContext,
        next: HTTPNext
    ) async throws(ExtractError) -> HTTPResponse {
        let ticket = await limiter.acquire()
        if Task.isCancelled {
            await limiter.release()
            throw context.failure(.cancelled, request, attempts: 0, message: "")
        }
        do throws(ExtractError) {
            let response = try await next(request, context)
            await limiter.observe(response, ticket: ticket)
            await limiter.release()
            return response
        } catch {
            await limiter.release()
            throw error
        }
    }
}
