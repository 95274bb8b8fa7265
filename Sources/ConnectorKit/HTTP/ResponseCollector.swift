import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Reads one answer whole (up to a byte limit) and remembers whether the request went out
/// completely, so that a cancelled or failed request is counted only when the server got it.
final class ResponseCollector: HTTPClientResponseDelegate, Sendable {
    typealias Response = HTTPResponse

    private struct State: Sendable {
        var sent = false
        var status = 0
        var headers: [(String, String)] = []
        var body: [UInt8] = []
    }

    let maxBodyBytes: Int
    private let state = LockedBox(State())

    init(maxBodyBytes: Int) { self.maxBodyBytes = maxBodyBytes }

    /// True once the request's head was written to the connection: from then on the server may
    /// have it, whether or not the rest of the request follows.
    var sent: Bool { state.withLock { $0.sent } }

    func didSendRequestHead(task: HTTPClient.Task<HTTPResponse>, _ head: HTTPRequestHead) {
        state.withLock { $0.sent = true }
    }

    func didSendRequest(task: HTTPClient.Task<HTTPResponse>) {
        state.withLock { $0.sent = true }
    }

    func didReceiveHead(task: HTTPClient.Task<HTTPResponse>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        // A body whose length is announced is read into one buffer of that size, not grown
        // (and copied) chunk by chunk; the limit still caps it.
        let announced = head.headers.first(name: "Content-Length").flatMap { Int($0) } ?? 0
        state.withLock {
            $0.status = Int(head.status.code)
            $0.headers = head.headers.map { ($0.name, $0.value) }
            $0.body.reserveCapacity(min(max(0, announced), maxBodyBytes))
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<HTTPResponse>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        let fits = state.withLock { s -> Bool in
            guard s.body.count + buffer.readableBytes <= maxBodyBytes else { return false }
            s.body.append(contentsOf: buffer.readableBytesView)
            return true
        }
        return fits
            ? task.eventLoop.makeSucceededVoidFuture()
            : task.eventLoop.makeFailedFuture(TransportFailure.BodyTooLarge(limit: maxBodyBytes))
    }

    func didFinishRequest(task: HTTPClient.Task<HTTPResponse>) throws -> HTTPResponse {
        state.withLock { HTTPResponse(status: $0.status, headers: $0.headers, body: $0.body) }
    }
}
