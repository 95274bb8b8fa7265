import ConnectorKit
import Logging

/// Resource events as log lines: started, retrying (with the redacted request and cause),
/// finished (status, pages, rows, requests, retries, seconds, message). Progress ticks are
/// not logged: the request lines say as much.
enum RunEvents {
    static func log(_ event: ProgressEvent, to logger: Logger) {
        switch event {
        case .started(let resource):
            logger.info("resource started", metadata: ["resource": "\(resource)"])
        case .retrying(let resource, let notice):
            logger.warning(
                "retry", metadata: ["resource": "\(resource)", "notice": "\(notice)", "wait_s": "\(notice.wait)"])
        case .finished(let o):
            var metadata: Logger.Metadata = [
                "resource": "\(o.resource)", "status": "\(o.status.rawValue)", "pages": .stringConvertible(o.pages),
                "rows": .stringConvertible(o.totalRows), "requests": .stringConvertible(o.requests),
                "retries": .stringConvertible(o.retries), "seconds": .stringConvertible(o.seconds),
            ]
            if let message = o.message { metadata["detail"] = "\(message)" }
            if o.status == .failed {
                logger.error("resource finished", metadata: metadata)
            } else {
                logger.info("resource finished", metadata: metadata)
            }
        case .progress: break
        }
    }
}
