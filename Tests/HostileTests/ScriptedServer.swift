import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A request as a hostile server saw it.
struct SeenRequest: Sendable {
    let method: String
    let path: String
    /// The query as sent (still encoded) and decoded into pairs.
    let rawQuery: String
    let query: [String: String]
    /// Lower-cased names.
    let headers: [String: String]
    /// The request's number on this server, from 1.
    let number: Int
    /// Base URLs of the case's servers, for links: `home`, `other`.
    let bases: [String: String]

    /// The n-th request on this path, from 1.
    var pathCount: Int = 0
}

/// What the server does with one request.
indirect enum Reply: Sendable {
    /// A complete answer. `{home}` and `{other}` in the body and headers become base URLs.
    case answer(status: Int, headers: [(String, String)], body: String)
    /// Headers, the start of a body, then silence: the connection stays open, nothing more comes.
    case stall(prefix: String)
    /// A complete answer after a pause (the pause does not block other connections).
    case delayed(seconds: Double, Reply)

    static func json(_ body: String, status: Int = 200, headers: [(String, String)] = []) -> Reply {
        .answer(status: status, headers: [("Content-Type", "application/json")] + headers, body: body)
    }

    static func redirect(_ location: String, status: Int = 302) -> Reply {
        .answer(status: status, headers: [("Location", location)], body: "")
    }
}

/// How a server answers: a function of the request (and of how many came before).
typealias Script = @Sendable (SeenRequest) -> Reply

/// A small HTTP/1.1 server on 127.0.0.1 that answers by script, records every request it
/// receives, and can stall. Bounded: one event loop thread; stalled connections are closed
/// when it shuts down.
final class ScriptedServer: Sendable {
    let port: Int
    var baseURL: String { "http://127.0.0.1:\(port)" }
    private let channel: Channel
    private let group: MultiThreadedEventLoopGroup
    private let log: NIOLockedValueBox<[SeenRequest]>
    private let open: NIOLockedValueBox<[ObjectIdentifier: Channel]>

    /// Every request received, in order.
    var requests: [SeenRequest] { log.withLockedValue { $0 } }

    /// Told every request as it arrives, on the server's own thread, before it is answered: a
    /// step that kills the binary at a chosen request does it here, where a busy test pool
    /// cannot make it late.
    typealias Watcher = @Sendable ([SeenRequest]) -> Void
    private let watcher: NIOLockedValueBox<Watcher?>
    func watch(_ watcher: Watcher?) { self.watcher.withLockedValue { $0 = watcher } }

    static func start(bases: @escaping @Sendable () -> [String: String], script: @escaping Script) async throws
        -> ScriptedServer
    {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let log = NIOLockedValueBox([SeenRequest]())
        let open = NIOLockedValueBox([ObjectIdentifier: Channel]())
        let watcher = NIOLockedValueBox<Watcher?>(nil)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                open.withLockedValue { $0[ObjectIdentifier(channel)] = channel }
                channel.closeFuture.whenComplete { _ in open.withLockedValue { $0[ObjectIdentifier(channel)] = nil } }
                return channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(ScriptHandler(script: script, log: log, watcher: watcher, bases: bases))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
            return ScriptedServer(
                port: channel.localAddress?.port ?? 0, channel: channel, group: group, log: log, open: open,
                watcher: watcher)
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
    }

    private init(
        port: Int, channel: Channel, group: MultiThreadedEventLoopGroup, log: NIOLockedValueBox<[SeenRequest]>,
        open: NIOLockedValueBox<[ObjectIdentifier: Channel]>, watcher: NIOLockedValueBox<Watcher?>
    ) {
        self.watcher = watcher
        self.port = port
        self.channel = channel
        self.group = group
        self.log = log
        self.open = open
    }

    func shutdown() async {
        try? await channel.close()
        for child in open.withLockedValue({ Array($0.values) }) { try? await child.close() }
        try? await group.shutdownGracefully()
    }
}

private final class ScriptHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let script: Script
    let log: NIOLockedValueBox<[SeenRequest]>
    let watcher: NIOLockedValueBox<ScriptedServer.Watcher?>
    let bases: @Sendable () -> [String: String]
    private var head: HTTPRequestHead?

    init(
        script: @escaping Script, log: NIOLockedValueBox<[SeenRequest]>,
        watcher: NIOLockedValueBox<ScriptedServer.Watcher?>, bases: @escaping @Sendable () -> [String: String]
    ) {
        self.script = script
        self.log = log
        self.watcher = watcher
        self.bases = bases
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h): head = h
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            let request = record(head)
            if let watch = watcher.withLockedValue({ $0 }) { watch(log.withLockedValue { $0 }) }
            reply(script(request), version: head.version, context: context)
        }
    }

    private func record(_ head: HTTPRequestHead) -> SeenRequest {
        let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let rawQuery = parts.count > 1 ? String(parts[1]) : ""
        var query: [String: String] = [:]
        for pair in rawQuery.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map {
                Self.decode(String($0))
            }
            query[kv[0]] = kv.count > 1 ? kv[1] : ""
        }
        var headers: [String: String] = [:]
        for (name, value) in head.headers { headers[name.lowercased()] = value }
        let path = String(parts.first ?? "/")
        return log.withLockedValue { log in
            var r = SeenRequest(
                method: head.method.rawValue, path: path, rawQuery: rawQuery, query: query, headers: headers,
                number: log.count + 1, bases: bases())
            r.pathCount = log.filter { $0.path == path }.count + 1
            log.append(r)
            return r
        }
    }

    private func reply(_ reply: Reply, version: HTTPVersion, context: ChannelHandlerContext) {
        let bases = self.bases()
        func fill(_ text: String) -> String {
            bases.reduce(text) { $0.replacingOccurrences(of: "{\($1.key)}", with: $1.value) }
        }
        switch reply {
        case .answer(let status, let headers, let body):
            let bytes = Array(fill(body).utf8)
            var h = HTTPHeaders(headers.map { ($0.0, fill($0.1)) })
            h.replaceOrAdd(name: "Content-Length", value: String(bytes.count))
            context.write(
                wrapOutboundOut(
                    .head(HTTPResponseHead(version: version, status: .init(statusCode: status), headers: h))),
                promise: nil)
            context.write(
                wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case .stall(let prefix):
            let h = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", "1000000")])
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: version, status: .ok, headers: h))), promise: nil)
            let bytes = Array(fill(prefix).utf8)
            context.writeAndFlush(
                wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
        case .delayed(let seconds, let inner):
            let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
            context.eventLoop.scheduleTask(in: .milliseconds(Int64(seconds * 1000))) {
                let (handler, context) = bound.value
                guard context.channel.isActive else { return }
                handler.reply(inner, version: version, context: context)
            }
        }
    }

    static func decode(_ s: String) -> String {
        (s.replacingOccurrences(of: "+", with: " ")).removingPercentEncoding ?? s
    }
}
