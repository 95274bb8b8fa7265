import Logging

/// Logs every attempt that goes on the wire: method, redacted URL, status (or the redacted
/// failure), milliseconds, attempt number and resource. It sits after the credentials, so the
/// URL it shows is the one sent — masked by the source's redactor like every error.
public struct LogStep: HTTPStep {
    let logger: Logger

    public init(logger: Logger) { self.logger = logger }

    public func handle(
        _ request: HTTPRequest, context: RequestContext,
        next: HTTPNext
    ) async throws(ExtractError) -> HTTPResponse {
        // Redacting a URL costs a few percent of a run's CPU: done only for a line that is written.
        guard logger.logLevel <= .warning else { return try await next(request, context) }
        let started = ContinuousClock.now
        do throws(ExtractError) {
            let response = try await next(request, context)
            if logger.logLevel <= .info {
                var metadata = Self.metadata(request, context)
                metadata["status"] = .stringConvertible(response.status)
                metadata["bytes"] = .stringConvertible(response.body.count)
                metadata["ms"] = .stringConvertible(Self.milliseconds(since: started))
                logger.info("request", metadata: metadata)
            }
            return response
        } catch {
            var metadata = Self.metadata(request, context)
            metadata["ms"] = .stringConvertible(Self.milliseconds(since: started))
            metadata["error"] = "\(error.message)"  // already redacted by the transport step
            if error.kind == .cancelled {
                logger.debug("request cancelled", metadata: metadata)
            } else {
                logger.warning("request failed", metadata: metadata)
            }
            throw error
        }
    }

    static func metadata(_ request: HTTPRequest, _ context: RequestContext) -> Logger.Metadata {
        [
            "resource": "\(context.resource)", "method": "\(request.method)",
            "url": "\(context.redactor.redactURL(request.url))", "attempt": .stringConvertible(context.attempt),
        ]
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let d = ContinuousClock.now - start
        return Int(d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
    }
}

extension Logger {
    /// Logs nothing: the logger of a run that was given none.
    public static var nowhere: Logger { Logger(label: "connector", factory: { _ in SwiftLogNoOpLogHandler() }) }
}
