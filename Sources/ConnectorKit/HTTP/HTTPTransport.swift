import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Sends one request over the network. The only place that knows the HTTP library; it never
/// follows redirects itself (credentials would follow them to other hosts).
public final class HTTPTransport: Sendable {
    let client: HTTPClient
    public let maxBodyBytes: Int

    public init(maxBodyBytes: Int = 512 << 20, connectTimeoutSeconds: Int64 = 10) {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(connectTimeoutSeconds))
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 32)
        configuration.decompression = .enabled(limit: .ratio(200))
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.maxBodyBytes = maxBodyBytes
    }

    public func execute(_ request: HTTPRequest, timeoutSeconds: Double) async throws -> HTTPResponse {
        var r = HTTPClientRequest(url: request.url)
        r.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { r.headers.add(name: name, value: value) }
        if let body = request.body {
            r.body = .bytes(ByteBuffer(bytes: body))
            if !request.headers.contains(where: { $0.0.lowercased() == "content-type" }) {
                r.headers.add(name: "Content-Type", value: "application/json")
            }
        }
        let deadline = TimeAmount.milliseconds(Int64(timeoutSeconds * 1000))
        let response = try await client.execute(r, timeout: deadline)
        let buffer = try await response.body.collect(upTo: maxBodyBytes)
        return HTTPResponse(status: Int(response.status.code),
                            headers: response.headers.map { ($0.name, $0.value) },
                            body: Array(buffer.readableBytesView))
    }

    public func shutdown() async {
        try? await client.shutdown()
    }
}
