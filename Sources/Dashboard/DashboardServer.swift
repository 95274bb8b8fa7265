import NIOCore
import NIOHTTP1
import NIOPosix

/// The dashboard's HTTP/1.1 listener: binds 127.0.0.1 only, answers each request with
/// `respond` (async: pages read the database), and refuses a request whose Host header is not
/// local before anything else runs, so a page of another site cannot reach it through a DNS
/// name rebound to 127.0.0.1.
public final class DashboardServer: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    public let port: Int
    private let listener: NIOAsyncChannel<Connection, Never>
    private let respond: @Sendable (DashboardRequest) async -> DashboardResponse

    /// `http://127.0.0.1:<port>/`
    public var url: String { "http://127.0.0.1:\(port)/" }

    private init(
        port: Int, listener: NIOAsyncChannel<Connection, Never>,
        respond: @escaping @Sendable (DashboardRequest) async -> DashboardResponse
    ) {
        self.port = port
        self.listener = listener
        self.respond = respond
    }

    /// Binds 127.0.0.1:`port` (0 picks a free one); `serve()` then answers requests.
    public static func bind(
        port: Int, respond: @escaping @Sendable (DashboardRequest) async -> DashboardResponse
    ) async throws -> DashboardServer {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
        return DashboardServer(
            port: listener.channel.localAddress?.port ?? port, listener: listener, respond: respond)
    }

    /// Answers requests until the listener closes or the task is cancelled.
    public func serve() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            try await listener.executeThenClose { connections in
                for try await connection in connections {
                    group.addTask { try? await self.handle(connection) }
                }
            }
        }
    }

    private func handle(_ connection: Connection) async throws {
        try await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            for try await part in inbound {
                switch part {
                case .head(let h): head = h
                case .body: continue
                case .end:
                    guard let request = head else { continue }
                    let response = await answer(request)
                    try await write(response, keepAlive: request.isKeepAlive, version: request.version, to: outbound)
                    if !request.isKeepAlive { return }
                }
            }
        }
    }

    private func answer(_ head: HTTPRequestHead) async -> DashboardResponse {
        guard LocalHost.allows(head.headers["Host"].first, port: port) else {
            return .text(status: 421, "refused: the Host header must be 127.0.0.1, localhost or [::1] (this port)")
        }
        guard head.method == .GET || head.method == .HEAD else {
            return .text(status: 405, "the dashboard only reads: GET")
        }
        return await respond(DashboardRequest(uri: head.uri))
    }

    private func write(
        _ response: DashboardResponse, keepAlive: Bool, version: HTTPVersion,
        to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        headers.add(name: "Cache-Control", value: "no-store")
        headers.add(name: "X-Content-Type-Options", value: "nosniff")
        headers.add(name: "Content-Security-Policy", value: "default-src 'self' 'unsafe-inline'; img-src 'self' data:")
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        let status = HTTPResponseStatus(statusCode: response.status)
        try await outbound.write(.head(HTTPResponseHead(version: version, status: status, headers: headers)))
        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
        try await outbound.write(.end(nil))
    }
}
