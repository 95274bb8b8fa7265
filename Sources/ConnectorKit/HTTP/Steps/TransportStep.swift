/// The end of the chain: one attempt on the wire through `HTTPTransport`. A failure becomes an
/// `ExtractError` carrying the `TransportFailure` (retryable, counted if sent); a cancelled
/// attempt (a prefetch no longer needed) is `.cancelled`, never a failure.
public struct TransportStep: Sendable {
    let transport: HTTPTransport
    let timeoutSeconds: Double

    public init(transport: HTTPTransport, timeoutSeconds: Double) {
        self.transport = transport
        self.timeoutSeconds = timeoutSeconds
    }

    public func send(_ request: HTTPRequest, context: RequestContext) async throws(ExtractError) -> HTTPResponse {
        do throws(TransportFailure) {
            return try await transport.execute(request, timeoutSeconds: timeoutSeconds)
        } catch {
            let cancelled = error.isCancellation || Task.isCancelled
            var failure = context.failure(
                cancelled ? .cancelled : .transport, request, attempts: context.attempt,
                message: cancelled ? "" : context.redactor.redact(error.description))
            failure.unanswered = error
            throw failure
        }
    }
}
