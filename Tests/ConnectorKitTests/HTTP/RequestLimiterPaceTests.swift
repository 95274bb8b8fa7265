import APISandbox
@testable import ConnectorKit
import Synchronization
import Testing

@Suite("HTTP: a limiter paces its origin by what the answers say")
struct RequestLimiterPaceTests {
    static let tooMany = HTTPResponse(
        status: 429, headers: [("Retry-After", "2"), ("X-RateLimit-Remaining", "0")], body: [])
    static let ok = HTTPResponse(status: 200, headers: [], body: [])

    @Test("without a declared rate: no waits until a 429, then a pause and spaced starts")
    func learnsFromA429() async {
        let clock = TestClock()
        let limiter = RequestLimiter(requestsPerSecond: nil, maxConcurrent: 4, clock: clock)
        for _ in 0..<3 {
            await limiter.acquire()
            await limiter.release()
        }
        #expect(clock.sleeps.isEmpty)
        await limiter.observe(Self.tooMany)
        for _ in 0..<2 {
            await limiter.acquire()
            await limiter.release()
        }
        #expect(clock.sleptSeconds == [2, 3], "the pause, then 1.5 × the server's wait (the starts were at once)")
    }

    @Test("plain answers speed a learned pace back up")
    func speedsBackUp() async {
        let clock = TestClock()
        let limiter = RequestLimiter(requestsPerSecond: nil, maxConcurrent: 1, clock: clock)
        await limiter.observe(Self.tooMany)
        let slowed = await limiter.interval
        for _ in 0..<10 { await limiter.observe(Self.ok) }
        let after = await limiter.interval
        #expect(slowed == 3)
        #expect((after ?? 0) < 3 * 0.75, "ten plain answers take 0.97^10 of the spacing")
    }

    @Test("a declared rate keeps its spacing after a 429 (the whole budget), but honours the pause")
    func declaredKeepsBudget() async {
        let clock = TestClock()
        let limiter = RequestLimiter(requestsPerSecond: 10, maxConcurrent: 1, clock: clock)
        await limiter.acquire()
        await limiter.release()
        await limiter.observe(Self.tooMany)
        await limiter.acquire()
        await limiter.release()
        await limiter.acquire()
        await limiter.release()
        #expect(await limiter.interval == 0.1)
        #expect(clock.sleptSeconds == [2, 0.1])
    }

    @Test("sources on one origin share one limiter, so one source's 429 paces the other")
    func sharedPerOrigin() async throws {
        let yaml = """
            sources:
              a: {client: {base_url: "https://api.test/v1"}, resources: [x]}
              b: {client: {base_url: "https://api.test/v2"}, resources: [y]}
            """
        let project = try SpecLoader(environment: [:]).parseSources(yaml, file: "s.yaml")
        let limiters = RequestLimiters(project: project)
        let a = try #require(limiters.limiter(for: project.sources[0]))
        let b = try #require(limiters.limiter(for: project.sources[1]))
        await a.observe(Self.tooMany)
        #expect(await b.interval == 3)
    }

    /// A bucket of 4 at 20/s forgives 150 ms of arrival jitter (a busy machine); the client sends exactly 20/s.
    @Test("declared at the sandbox's enforced rate: every request admitted, not one 429 (loopback)")
    func declaredGetsNo429() async throws {
        var configuration = SandboxConfiguration()
        configuration.pacing = PacingConfiguration(requestsPerSecond: 20, burst: 4)
        let server = try await SandboxServer.start(configuration)
        let limited = try await Self.send(30, to: server, declared: 20)
        let counts = server.api.pacingCounts.values.reduce(0) { $0 + $1.limited }
        let seen = server.api.pacingCounts.values.reduce(0) { $0 + $1.requests }
        await server.shutdown()
        #expect(limited == 0)
        #expect(counts == 0)
        #expect(seen == 30)
    }

    /// 2/s with a bucket of 1: four requests at once exceed it however busy the machine is (at
    /// 20/s a loaded machine sent too slowly to meet the limit, and the check proved nothing).
    @Test("requests undeclared meet the sandbox's enforced limit (the zero-429 check above can fail)")
    func undeclaredMeets429() async throws {
        var configuration = SandboxConfiguration()
        configuration.pacing = PacingConfiguration(requestsPerSecond: 2, burst: 1, rateLimitHeaders: true)
        let server = try await SandboxServer.start(configuration)
        let limited = try await Self.send(8, to: server, declared: nil)
        await server.shutdown()
        #expect(limited > 0)
    }

    /// Sends `count` requests, four at a time, without retries; returns how many were 429
    /// (a 429 is retryable, so with one attempt it comes back as a thrown error).
    static func send(_ count: Int, to server: SandboxServer, declared: Double?) async throws -> Int {
        let client = SourceClient(
            baseURL: server.baseURL, transport: HTTPTransport(),
            limiter: RequestLimiter(requestsPerSecond: declared, maxConcurrent: 4),
            retry: RetrySpec(maxAttempts: 1), timeoutSeconds: 5, headers: [], redactor: Redactor(secrets: []))
        let auth = APIKeyAuth(headers: [("apikey", SandboxCredentials.demo.apiKey)], query: [])
        let statuses = await withTaskGroup(of: Int?.self) { group in
            for _ in 0..<count {
                group.addTask {
                    let request = HTTPRequest(url: server.baseURL + "/v4/admin/limits")
                    do throws(ExtractError) {
                        return try await client.send(request, auth: auth, resource: "limits").0.status
                    } catch {
                        return error.status
                    }
                }
            }
            return await group.reduce(into: [Int?]()) { $0.append($1) }
        }
        await client.shutdown()
        #expect(statuses.allSatisfy { $0 == 200 || $0 == 429 })
        return statuses.filter { $0 == 429 }.count
    }
}
