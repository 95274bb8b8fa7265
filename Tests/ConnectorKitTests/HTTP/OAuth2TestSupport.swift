import APISandbox
@testable import ConnectorKit
import Foundation
import Synchronization

/// A loopback OAuth 2 token endpoint (client credentials) and an API server on another origin
/// that accepts only the tokens the endpoint issued, each until the test says it is revoked.
final class OAuth2Fixture: Sendable {
    static let clientID = "client-id-77"
    static let clientSecret = "client-s3cret-9f8e7d"

    let tokenServer: LoopbackHTTPServer
    let apiServer: LoopbackHTTPServer
    let tokenRequests: RequestRecorder
    let apiRequests: RequestRecorder
    let clock: TestClock
    let client: SourceClient
    /// Tokens the API refuses (revoked early).
    let revoked: LockedBox<Set<String>>

    /// `expiresIn`: the `expires_in` the endpoint answers (nil: none). `tokenStatus`: what it answers.
    /// `failFirst`: the endpoint answers 503 to that many token requests first.
    static func start(
        expiresIn: Int? = 3600, tokenStatus: Int = 200,
        failFirst: Int = 0
    ) async throws -> OAuth2Fixture {
        let tokens = RequestRecorder(), api = RequestRecorder()
        let revoked = LockedBox(Set<String>())
        let tokenServer = try await LoopbackHTTPServer.start { r in
            let n = tokens.record(r) - failFirst
            if n <= 0 { return SandboxResponse(status: 503, body: Array("busy".utf8)) }
            guard tokenStatus == 200 else {
                let body = #"{"error":"invalid_client","error_description":"client authentication failed"}"#
                return SandboxResponse(status: tokenStatus, body: Array(body.utf8))
            }
            let expiry = expiresIn.map { #","expires_in":\#($0)"# } ?? ""
            let body = #"{"access_token":"tok-\#(n)-a1b2c3","token_type":"Bearer"\#(expiry)}"#
            return SandboxResponse(status: 200, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
        }
        let apiServer = try await LoopbackHTTPServer.start { r in
            _ = api.record(r)
            let auth = r.headers["authorization"] ?? ""
            let token = auth.hasPrefix("Bearer ") ? String(auth.dropFirst(7)) : ""
            guard token.hasPrefix("tok-"), !revoked.withLock({ $0.contains(token) }) else {
                return SandboxResponse(status: 401, body: Array(#"{"message":"invalid token"}"#.utf8))
            }
            return SandboxResponse(status: 200, body: Array(#"{"items":[]}"#.utf8))
        }
        return OAuth2Fixture(tokenServer, apiServer, tokens, api, revoked)
    }

    private init(
        _ tokenServer: LoopbackHTTPServer, _ apiServer: LoopbackHTTPServer, _ tokens: RequestRecorder,
        _ api: RequestRecorder, _ revoked: LockedBox<Set<String>>
    ) {
        self.tokenServer = tokenServer
        self.apiServer = apiServer
        self.tokenRequests = tokens
        self.apiRequests = api
        self.revoked = revoked
        clock = TestClock()
        client = SourceClient(
            baseURL: apiServer.baseURL, transport: HTTPTransport(),
            limiter: RequestLimiter(requestsPerSecond: nil, maxConcurrent: 8),
            retry: RetrySpec(maxAttempts: 2, baseDelay: 0.001, maxDelay: 0.001), timeoutSeconds: 5, headers: [],
            redactor: Redactor(secrets: [Self.clientSecret]), clock: clock)
    }

    /// The authenticator of an `oauth2_client_credentials` auth written with `extra` keys.
    func authenticator(_ extra: String = "") throws -> any Authenticator {
        let yaml = """
            sources:
              api:
                client:
                  base_url: \(apiServer.baseURL)
                  auth:
                    type: oauth2_client_credentials
                    access_token_url: \(tokenServer.baseURL)/oauth/token
                    client_id: \(Self.clientID)
                    client_secret: \(Self.clientSecret)
            \(extra.split(separator: "\n").map { "        " + $0 }.joined(separator: "\n"))
                resources: [items]
            """
        let project = try SpecLoader(environment: [:]).parseSources(yaml, file: "sources.yaml")
        let auth = try project.source(named: "api")?.client.auth?.makeAuthenticator(client: client)
        return try auth ?? { throw SpecError("no auth", at: nil) }()
    }

    func get(_ path: String, _ auth: any Authenticator, resource: String = "items") async throws -> HTTPResponse {
        try await client.send(HTTPRequest(url: apiServer.baseURL + path), auth: auth, resource: resource).0
    }

    /// Form fields of a recorded token request.
    static func form(_ request: SandboxRequest) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in String(decoding: request.body, as: UTF8.self).split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { URLText.decode(String($0)) }
            fields[kv[0]] = kv.count > 1 ? kv[1] : ""
        }
        return fields
    }

    func shutdown() async {
        await client.shutdown()
        await tokenServer.shutdown()
        await apiServer.shutdown()
    }
}
