import NIOCore
import NIOHTTP1
import NIOPosix
import NIOConcurrencyHelpers

/// The sandbox as a running HTTP server on 127.0.0.1 (or another local address it is given: the
/// network-namespace test binds one that exists only inside its namespaces). Start it in-process (tests, `connector
/// demo`) or from `connector sandbox`; stop it with `shutdown()`. Like the real service, it
/// answers on two origins — the core API and Copilot live on different hosts there — so a
/// client's per-host limits meet the same topology; both origins serve every route.
public final class SandboxServer: Sendable {
    /// The address both origins listen on (127.0.0.1 unless told otherwise).
    public let host: String
    public let port: Int
    /// The second origin, for Copilot.
    public let copilotPort: Int
    public let api: SandboxAPI
    private let channels: [Channel]
    private let group: MultiThreadedEventLoopGroup

    /// `http://<host>:<port>`
    public var baseURL: String { "http://\(host):\(port)" }
    /// `http://<host>:<copilotPort>`
    public var copilotBaseURL: String { "http://\(host):\(copilotPort)" }

    private init(
        host: String, port: Int, copilotPort: Int, api: SandboxAPI, channels: [Channel],
        group: MultiThreadedEventLoopGroup
    ) {
        self.host = host
        self.port = port
        self.copilotPort = copilotPort
        self.api = api
        self.channels = channels
        self.group = group
    }

    /// Binds `host` (port 0 picks a free one; the Copilot origin takes `copilotPort`, or a free
    /// one) and starts serving.
    public static func start(
        _ configuration: SandboxConfiguration, host: String = "127.0.0.1", port: Int = 0, copilotPort: Int = 0,
        threads: Int = 1
    ) async throws -> SandboxServer {
        let api = SandboxAPI(configuration)
        let (channel, group) = try await LoopbackHTTPServer.bind(host: host, port: port, threads: threads) {
            api.handle($0)
        } origin: {
            api.defaultOrigin
        }
        let copilot: Channel
        do {
            copilot = try await LoopbackHTTPServer.bind(host: host, port: copilotPort, group: group) {
                api.handle($0)
            } origin: {
                api.defaultOrigin
            }
        } catch {
            try? await channel.close()
            try? await group.shutdownGracefully()
            throw error
        }
        let bound = channel.localAddress?.port ?? port
        api.setDefaultOrigin("http://\(host):\(bound)")
        return SandboxServer(
            host: host, port: bound, copilotPort: copilot.localAddress?.port ?? copilotPort, api: api,
            channels: [channel, copilot], group: group)
    }

    public func shutdown() async {
        for channel in channels { try? await channel.close() }
        try? await group.shutdownGracefully()
    }

    /// Serves until the process is stopped.
    public func wait() async throws { try await channels[0].closeFuture.get() }
}

/// A small HTTP/1.1 server on 127.0.0.1 that answers with a plain function; the sandbox is one,
/// and tests use it to stand up APIs of other shapes.
public final class LoopbackHTTPServer: Sendable {
    public let port: Int
    private let channel: Channel
    private let group: MultiThreadedEventLoopGroup
    public var baseURL: String { "http://127.0.0.1:\(port)" }

    public static func start(port: Int = 0, handler: @escaping @Sendable (SandboxRequest) -> SandboxResponse)
        async throws -> LoopbackHTTPServer
    {
        let box = OriginBox()
        let (channel, group) = try await bind(host: "127.0.0.1", port: port, threads: 1, handler: handler) {
            box.value
        }
        let server = LoopbackHTTPServer(port: channel.localAddress?.port ?? port, channel: channel, group: group)
        box.value = server.baseURL
        return server
    }

    private init(port: Int, channel: Channel, group: MultiThreadedEventLoopGroup) {
        self.port = port
        self.channel = channel
        self.group = group
    }

    public func shutdown() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }

    static func bind(
        host: String, port: Int, threads: Int, handler: @escaping @Sendable (SandboxRequest) -> SandboxResponse,
        origin: @escaping @Sendable () -> String
    ) async throws -> (Channel, MultiThreadedEventLoopGroup) {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        do {
            return (try await bind(host: host, port: port, group: group, handler: handler, origin: origin), group)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    /// One more listener on an existing event loop group.
    static func bind(
        host: String, port: Int, group: MultiThreadedEventLoopGroup,
        handler: @escaping @Sendable (SandboxRequest) -> SandboxResponse, origin: @escaping @Sendable () -> String
    ) async throws -> Channel {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
                    channel.pipeline.addHandler(SandboxHTTPHandler(handler: handler, origin: origin))
                }
            }
        return try await bootstrap.bind(host: host, port: port).get()
    }
}

final class OriginBox: @unchecked Sendable {
    private let lock = NIOLock()
    private var _value = "http://127.0.0.1"
    var value: String {
        get { lock.withLock { _value } }
        set { lock.withLock { _value = newValue } }
    }
}

final class SandboxHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let handler: @Sendable (SandboxRequest) -> SandboxResponse
    private let origin: @Sendable () -> String
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(handler: @escaping @Sendable (SandboxRequest) -> SandboxResponse, origin: @escaping @Sendable () -> String) {
        self.handler = handler
        self.origin = origin
    }

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
                defaultOrigin: origin())
            let response = handler(request)
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

    private static func write(
        _ response: SandboxResponse, keepAlive: Bool, version: HTTPVersion, context: ChannelHandlerContext
    ) {
        var headers = HTTPHeaders(response.headers)
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let head = HTTPResponseHead(
            version: version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
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
