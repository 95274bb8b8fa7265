import APISandbox
@testable import ConnectorKit
import Foundation
import Synchronization
import Testing

/// Records what a loopback server received.
final class RequestRecorder: Sendable {
    private let seen = Mutex<[SandboxRequest]>([])
    var requests: [SandboxRequest] { seen.withLock { $0 } }
    func record(_ r: SandboxRequest) -> Int {
        seen.withLock {
            $0.append(r); return $0.count
        }
    }
}

@Suite("HTTP: retries, errors, credentials")
struct SourceClientTests {
    static let secret = "secret-key-123456"

    func client(_ base: String, attempts: Int = 4, clock: TestClock = TestClock()) -> SourceClient {
        SourceClient(
            baseURL: base, transport: HTTPTransport(),
            limiter: RequestLimiter(requestsPerSecond: nil, maxConcurrent: 4),
            retry: RetrySpec(maxAttempts: attempts, baseDelay: 0.01, maxDelay: 0.05), timeoutSeconds: 5,
            headers: [], redactor: Redactor(secrets: [Self.secret]), clock: clock)
    }

    let auth = APIKeyAuth(headers: [("apikey", secret)], query: [("api_key", secret)])

    @Test("429 with Retry-After and 5xx are retried until success")
    func retries() async throws {
        let recorder = RequestRecorder()
        let server = try await LoopbackHTTPServer.start { r in
            switch recorder.record(r) {
            case 1: return SandboxResponse(status: 429, headers: [("Retry-After", "0")], body: [])
            case 2: return SandboxResponse(status: 503, body: [])
            default: return SandboxResponse(status: 200, body: Array("{}".utf8))
            }
        }
        let c = client(server.baseURL)
        let (response, attempts) = try await c.send(HTTPRequest(url: server.baseURL + "/x"), auth: auth, resource: "r")
        await server.shutdown()
        await c.shutdown()
        #expect(response.status == 200)
        #expect(attempts == 3)
        #expect(c.stats.of("r").retries == 2)
    }

    @Test("the whole chain on loopback: a redirect, then 503 with an HTTP-date Retry-After waited on the clock")
    func chain() async throws {
        let recorder = RequestRecorder()
        let server = try await LoopbackHTTPServer.start { r in
            switch recorder.record(r) {
            case 1: return SandboxResponse(status: 302, headers: [("Location", "/moved")], body: [])
            case 2:
                return SandboxResponse(
                    status: 503, headers: [("Retry-After", "Tue, 14 Nov 2023 22:13:22 GMT")], body: [])
            default: return SandboxResponse(status: 200, body: Array("{}".utf8))
            }
        }
        let clock = TestClock(date: Date(timeIntervalSince1970: 1_700_000_000))
        let c = SourceClient(
            baseURL: server.baseURL, transport: HTTPTransport(),
            limiter: RequestLimiter(requestsPerSecond: nil, maxConcurrent: 4),
            retry: RetrySpec(maxAttempts: 3, baseDelay: 0.01, maxDelay: 30), timeoutSeconds: 5,
            headers: [], redactor: Redactor(secrets: [Self.secret]), clock: clock)
        let (response, attempts) = try await c.send(HTTPRequest(url: server.baseURL + "/x"), auth: auth, resource: "r")
        await server.shutdown()
        await c.shutdown()
        #expect(response.status == 200)
        #expect(attempts == 2, "the redirect hop is not an attempt")
        #expect(recorder.requests.map(\.path) == ["/x", "/moved", "/moved"], "the retry resends the redirected URL")
        #expect(clock.sleptSeconds == [2])
        #expect(c.stats.of("r").requests == 3)
        #expect(c.stats.of("r").retries == 1)
    }

    @Test("a persistent failure names resource, redacted URL, status and attempts")
    func givesUp() async throws {
        let server = try await LoopbackHTTPServer.start { _ in SandboxResponse(status: 500, body: Array("boom".utf8)) }
        let c = client(server.baseURL, attempts: 3)
        let e = await #expect(throws: ExtractError.self) {
            _ = try await c.send(
                HTTPRequest(url: server.baseURL + "/x?token=abc&page=2"), auth: auth, resource: "orders")
        }
        await server.shutdown()
        await c.shutdown()
        let text = e?.description ?? ""
        #expect(text.contains("resource 'orders'"))
        #expect(text.contains("HTTP 500"))
        #expect(text.contains("after 3 attempts"))
        #expect(text.contains("token=***"))
        #expect(text.contains("page=2"))
        #expect(!text.contains(Self.secret))
        #expect(!text.contains("abc"))
    }

    @Test("401 is not retried and says what to check")
    func unauthorized() async throws {
        let recorder = RequestRecorder()
        let server = try await LoopbackHTTPServer.start { r in
            _ = recorder.record(r); return SandboxResponse(status: 401, body: Array("{\"error\":\"no\"}".utf8))
        }
        let c = client(server.baseURL)
        let request = HTTPRequest(url: server.baseURL + "/x")
        let (response, attempts) = try await c.send(request, auth: auth, resource: "r")
        let e = #expect(throws: ExtractError.self) {
            try c.require(response, attempts: attempts, request: request, resource: "r")
        }
        await server.shutdown()
        await c.shutdown()
        #expect(recorder.requests.count == 1)
        #expect(e?.description.contains("check the credentials") == true)
    }

    @Test("credentials go to the configured origin only, never along a redirect to another host")
    func credentialsStayHome() async throws {
        let elsewhere = RequestRecorder()
        let other = try await LoopbackHTTPServer.start { r in
            _ = elsewhere.record(r); return SandboxResponse(status: 200, body: Array("{}".utf8))
        }
        let home = RequestRecorder()
        let otherURL = other.baseURL
        let server = try await LoopbackHTTPServer.start { r in
            _ = home.record(r)
            return SandboxResponse(status: 302, headers: [("Location", otherURL + "/landing")], body: [])
        }
        let c = client(server.baseURL)
        let (response, _) = try await c.send(HTTPRequest(url: server.baseURL + "/start"), auth: auth, resource: "r")
        await server.shutdown()
        await c.shutdown()
        await other.shutdown()
        #expect(response.status == 200)
        #expect(home.requests.first?.headers["apikey"] == Self.secret)
        let landed = try #require(elsewhere.requests.first)
        #expect(landed.headers["apikey"] == nil)
        #expect(landed.query["api_key"] == nil)
        #expect(!landed.headers.values.contains { $0.contains(Self.secret) })
    }

    @Test(
        "the redactor masks known secrets and credential-like parameters",
        arguments: [
            ("https://h/x?api_key=zzz&q=1", "https://h/x?api_key=***&q=1"),
            ("https://h/x?password=p&limit=5", "https://h/x?password=***&limit=5"),
            ("https://h/secret-key-123456/x", "https://h/***/x"),
            ("https://h/x?limit=5", "https://h/x?limit=5"),
        ])
    func redaction(_ url: String, _ expected: String) {
        #expect(Redactor(secrets: [Self.secret]).redactURL(url) == expected)
    }
}

@Suite("HTTP: the run's retry budget")
struct RetryBudgetTests {
    @Test("once the run's retries are spent, failures are final")
    func budget() async throws {
        let recorder = RequestRecorder()
        let server = try await LoopbackHTTPServer.start { r in
            _ = recorder.record(r); return SandboxResponse(status: 503, body: [])
        }
        let c = SourceClient(
            baseURL: server.baseURL, transport: HTTPTransport(),
            limiter: RequestLimiter(requestsPerSecond: nil, maxConcurrent: 2),
            retry: RetrySpec(maxAttempts: 10, baseDelay: 0.001, maxDelay: 0.002, runBudget: 3),
            timeoutSeconds: 5, headers: [], redactor: Redactor(secrets: []), clock: TestClock())
        for _ in 0..<2 {
            _ = await #expect(throws: ExtractError.self) {
                _ = try await c.send(HTTPRequest(url: server.baseURL + "/x"), auth: NoAuth(), resource: "r")
            }
        }
        await server.shutdown()
        await c.shutdown()
        #expect(recorder.requests.count == 5, "3 retries in all, then one final attempt per request")
    }
}

@Suite("HTTP: circuit breaker")
struct CircuitBreakerTests {
    @Test("a resource stops after N failed attempts in a row, over its concurrent requests")
    func opens() async throws {
        let recorder = RequestRecorder()
        let server = try await LoopbackHTTPServer.start { r in
            _ = recorder.record(r); return SandboxResponse(status: 502, body: [])
        }
        let c = SourceClient(
            baseURL: server.baseURL, transport: HTTPTransport(),
            limiter: RequestLimiter(requestsPerSecond: nil, maxConcurrent: 1),
            retry: RetrySpec(maxAttempts: 10, baseDelay: 0.001, maxDelay: 0.002, circuitBreaker: 4),
            timeoutSeconds: 5, headers: [], redactor: Redactor(secrets: []), clock: TestClock())
        let e = await #expect(throws: ExtractError.self) {
            _ = try await c.send(HTTPRequest(url: server.baseURL + "/a"), auth: NoAuth(), resource: "r")
        }
        let second = await #expect(throws: ExtractError.self) {
            _ = try await c.send(HTTPRequest(url: server.baseURL + "/b"), auth: NoAuth(), resource: "r")
        }
        let other = try? await c.send(HTTPRequest(url: server.baseURL + "/c"), auth: NoAuth(), resource: "other")
        await server.shutdown()
        await c.shutdown()
        #expect(e?.description.contains("circuit breaker open after 4") == true, "\(String(describing: e))")
        #expect(second?.description.contains("circuit breaker") == true)
        #expect(recorder.requests.filter { $0.path != "/c" }.count == 4, "no request once the breaker is open")
        #expect(other == nil, "another resource has its own breaker and still tries")
        #expect(recorder.requests.contains { $0.path == "/c" })
    }
}
