import NIOCore
import NIOHTTP1
import NIOPosix

/// The sandbox as a running HTTP server on 127.0.0.1. Start it in-process (tests, `connector
/// demo`) or from `connector sandbox`; stop it with `shutdown()`.
public final class SandboxServer: Sendable {
    public let port: Int
    public let api: SandboxAPI
    private let channel: Channel
    private let group: MultiThreadedEventLoopGroup

    /// `http://127.0.0.1:<port>`
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    private init(port: Int, api: SandboxAPI, channel: Channel, group: MultiThreadedEventLoopGroup) {
        self.port = port
        self.api = api
        self.channel = channel
        self.group = group
    }

    /// Binds 127.0.0.1 (port 0 picks a free one) and starts serving.
    public static func start(_ configuration: SandboxConfiguration, port: Int = 0, threads: Int = 1) async throws -> SandboxServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let api = SandboxAPI(configuration)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
                    channel.pipeline.addHandler(SandboxHTTPHandler(api: api))
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: port).get()
        let bound = channel.localAddress?.port ?? port
        api.setDefaultOrigin("http://127.0.0.1:\(bound)")
        return SandboxServer(port: bound, api: api, channel: channel, group: group)
    }

    public func shutdown() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }

    /// Serves until the process is stopped.
    public func wait() async throws { try await channel.closeFuture.get() }
}

final class SandboxHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let api: SandboxAPI
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(api: SandboxAPI) { self.api = api }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            body.removeAll(keepingCapacity: true)
        case .body(var buffer):
            body.append(contentsOf: buffer.readBytes(length: buffer.readableBytes) ?? [])
        case .end:
            guard let head else { return }
            self.head = nil
            let request = SandboxRequest(
                method: head.method.rawValue, uri: head.uri,
                headers: head.headers.map { ($0.name, $0.value) }, body: body,
                defaultOrigin: api.defaultOrigin)
            let response = api.handle(request)
            let keepAlive = head.isKeepAlive
            if response.drop {
                context.close(promise: nil)
                return
            }
            if response.delay > 0 {
                let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
                context.eventLoop.scheduleTask(in: .milliseconds(Int64(response.delay * 1000))) {
                    Self.write(response, keepAlive: keepAlive, version: head.version, context: bound.value)
                }
            } else {
                Self.write(response, keepAlive: keepAlive, version: head.version, context: context)
            }
        }
    }

    private static func write(_ response: SandboxResponse, keepAlive: Bool, version: HTTPVersion, context: ChannelHandlerContext) {
        var headers = HTTPHeaders(response.headers)
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(NIOAny(HTTPServerResponsePart.head(head)), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: response.body.count)
        buffer.writeBytes(response.body)
        context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(buffer))), promise: nil)
        let done = context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
