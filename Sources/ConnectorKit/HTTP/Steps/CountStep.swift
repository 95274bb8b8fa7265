/// Counts what went on the wire, per resource: a request that got an answer (and its bytes),
/// or one that failed after it was sent. A request that never left is not counted.
public struct CountStep: HTTPStep {
    let stats: RequestStats

    public init(stats: RequestStats) { self.stats = stats }

    public func handle(
        _ request: HTTPRequest, context: RequestContext,
        next: HTTPNext
    ) async throws(ExtractError) -> HTTPResponse {
        do throws(ExtractError) {
            let response = try await next(request, context)
            stats.count(context.resource, request: 1, bytes: response.body.count)
            return response
        } catch {
            if error.unanswered?.sent == true { stats.count(context.resource, request: 1) }
            throw error
        }
    }
}
