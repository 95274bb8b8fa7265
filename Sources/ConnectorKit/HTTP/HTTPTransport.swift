import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOPosix

/// Sends one request over the network. The only place that knows the HTTP library; it never
/// follows redirects itself (credentials would follow them to other hosts).
///
/// Every read has a deadline: the whole answer (head and body) must arrive within the
/// request's `timeoutSeconds`, and the server may stay silent at most `idleTimeoutSeconds`
/// between two reads, so a server that stalls after its headers fails instead of hanging.
///
/// A connection that cannot be made (refused, unreachable) fails the request at once: the
/// HTTP library would otherwise try again and again until its connect timeout (10 s) inside
/// one attempt, hiding the failure from `RetryStep`, whose policy and notices are the ones a
/// person configured and sees.
///
/// Every transport of the process does its I/O on one event-loop thread (`eventLoopGroup`).
public final class HTTPTransport: Sendable {
    /// One thread for the sockets of every transport, instead of NIO's shared group (a thread per
    /// core). Parsing and loading run on Swift's concurrency pool; the loop only moves bytes, and
    /// one busy loop hands answers over with fewer thread wake-ups than several half-idle ones:
    /// measured on the three sandbox pipelines (scale 5, 2 cores), CPU −6 % and wall −10 % against
    /// two loop threads. One loop thread reads thousands of answers a second, far above any API's
    /// rate limit.
    public static let eventLoopGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    let client: HTTPClient
    public let maxBodyBytes: Int
    public let idleTimeoutSeconds: Double

    public init(maxBodyBytes: Int = 512 << 20, connectTimeoutSeconds: Int64 = 10, idleTimeoutSeconds: Double = 60) {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(connectTimeoutSeconds), read: Self.amount(idleTimeoutSeconds))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 32)
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.decompression = .enabled(limit: .ratio(200))
        configuration.httpVersion = .http1Only
        // No request spans: the library would otherwise open one per request on the process's
        // default (no-op) tracer, building its name and attributes each time, ~35k instructions
        // per request (1.8 % of a sandbox run). Nothing here reads spans; requests are logged by LogStep.
        configuration.tracing.tracer = nil
        client = HTTPClient(eventLoopGroup: Self.eventLoopGroup, configuration: configuration)
        self.maxBodyBytes = maxBodyBytes
        self.idleTimeoutSeconds = idleTimeoutSeconds
    }

    /// Sends `request` and reads the whole answer within `timeoutSeconds`. Failures are
    /// `TransportFailure`s, which say whether the request had been sent.
    ///
    /// The request is started, and its answer awaited, from the event loop in one hop: started from
    /// a concurrency thread, the library hops to the loop, and waiting on its future from there hops
    /// again (a second wake-up of the loop thread per request).
    public func execute(_ request: HTTPRequest, timeoutSeconds: Double) async throws(TransportFailure) -> HTTPResponse {
        let collector = ResponseCollector(maxBodyBytes: maxBodyBytes)
        let r: HTTPClient.Request
        do {
            r = try Self.request(request)
        } catch {
            throw TransportFailure(error, sent: false, limits: limits(timeoutSeconds))
        }
        let deadline = NIODeadline.now() + Self.amount(timeoutSeconds)
        let started = LoopStartedTask()
        do {
            return try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (answer: CheckedContinuation<HTTPResponse, any Error>) in
                    Self.eventLoopGroup.next().execute { [client] in
                        let task = client.execute(request: r, delegate: collector, deadline: deadline)
                        started.started(task)
                        task.futureResult.whenComplete { answer.resume(with: $0) }
                    }
                }
            } onCancel: {
                started.cancel()
            }
        } catch {
            throw TransportFailure(error, sent: collector.sent, limits: limits(timeoutSeconds))
        }
    }

    private static func request(_ request: HTTPRequest) throws -> HTTPClient.Request {
        var headers = HTTPHeaders(request.headers)
        var body: HTTPClient.Body?
        if let bytes = request.body {
            body = .bytes(bytes)
            if !headers.contains(name: "Content-Type") {
                headers.add(name: "Content-Type", value: "application/json")
            }
        }
        return try HTTPClient.Request(
            url: request.url, method: HTTPMethod(rawValue: request.method), headers: headers, body: body)
    }

    private func limits(_ timeoutSeconds: Double) -> TransportFailure.Limits {
        .init(responseSeconds: timeoutSeconds, idleSeconds: idleTimeoutSeconds, maxBodyBytes: maxBodyBytes)
    }

    static func amount(_ seconds: Double) -> TimeAmount { .milliseconds(Int64((seconds * 1000).rounded(.up))) }

    public func shutdown() async {
        try? await client.shutdown()
    }
}
