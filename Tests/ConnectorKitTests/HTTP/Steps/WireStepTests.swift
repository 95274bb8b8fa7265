@testable import ConnectorKit
import Synchronization
import Testing

@Suite("HTTP steps: rate limit and counting")
struct WireStepTests {
    let request = HTTPRequest(url: "https://a.test/x")

    @Test("starts are spaced to requests_per_second on the injected clock")
    func spacing() async throws {
        let clock = TestClock()
        let step = RateLimitStep(limiter: RequestLimiter(requestsPerSecond: 10, maxConcurrent: 2, clock: clock))
        let next = ScriptedNext([.status(200)])
        for _ in 0..<4 { _ = try await step.handle(request, context: .test(), next: next.call) }
        #expect(clock.sleptSeconds == [0.1, 0.1, 0.1])
    }

    @Test("the slot is given back after an answer and after a failure")
    func releases() async throws {
        let step = RateLimitStep(limiter: RequestLimiter(requestsPerSecond: nil, maxConcurrent: 1))
        let next = ScriptedNext([.transport(sent: true), .status(200)])
        _ = try? await step.handle(request, context: .test(), next: next.call)
        let response = try await step.handle(request, context: .test(), next: next.call)
        #expect(response.status == 200, "a held slot would make this wait forever")
    }

    @Test("a task cancelled while it waited for a slot sends nothing")
    func cancelled() async throws {
        let step = RateLimitStep(limiter: RequestLimiter(requestsPerSecond: nil, maxConcurrent: 1))
        let next = ScriptedNext([.status(200)])
        let task = Task { () throws(ExtractError) -> HTTPResponse in
            withUnsafeCurrentTask { $0?.cancel() }
            return try await step.handle(request, context: .test(), next: next.call)
        }
        let e = await #expect(throws: ExtractError.self) { _ = try await task.value }
        #expect(e?.kind == .cancelled)
        #expect(next.requests.isEmpty)
    }

    @Test(
        "counts answered requests with their bytes, and failures only when they were sent",
        arguments: [
            (ScriptedNext.Answer.status(200), 1, 4), (.status(500), 1, 4), (.transport(sent: true), 1, 0),
            (.transport(sent: false), 0, 0), (.error(ExtractError(.configuration, resource: "r", message: "")), 0, 0),
        ])
    func counts(_ answer: ScriptedNext.Answer, _ requests: Int, _ bytes: Int) async throws {
        let stats = RequestStats()
        _ = try? await CountStep(stats: stats).handle(request, context: .test(), next: ScriptedNext([answer]).call)
        #expect(stats.of("r").requests == requests)
        #expect(stats.of("r").bytes == bytes)
    }
}

@Suite("HTTP step: credentials")
struct CredentialStepTests {
    /// An authenticator that has to wait (a token endpoint) and may fail.
    struct SlowToken: Authenticator {
        let fails: Bool
        func authorize(_ request: inout HTTPRequest, context: RequestContext) async throws(ExtractError) {
            await Task.yield()
            if fails { throw ExtractError(.configuration, resource: "r", message: "token refused") }
            request.headers.append(("Authorization", "Bearer s3cret"))
        }
    }

    func send(
        _ url: String, auth: any Authenticator,
        headers: [(String, String)] = [("X-Team", "s3cret")]
    ) async throws -> HTTPRequest? {
        let step = CredentialStep(
            origin: URLText.origin("https://a.test/x"), headers: headers,
            redactor: Redactor(secrets: ["s3cret"]))
        let next = ScriptedNext([.status(200)])
        _ = try await step.handle(HTTPRequest(url: url), context: .test(auth: auth), next: next.call)
        return next.requests.first
    }

    @Test("at home: source headers and credentials, added by an authenticator that waits")
    func home() async throws {
        let sent = try #require(try await send("https://a.test/x", auth: SlowToken(fails: false)))
        #expect(sent.headers.contains { $0 == ("Authorization", "Bearer s3cret") })
        #expect(sent.headers.contains { $0 == ("X-Team", "s3cret") })
    }

    @Test("elsewhere: no credentials, and headers and parameters carrying a secret are removed")
    func elsewhere() async throws {
        let sent = try #require(try await send("https://b.test/x?key=s3cret&page=2", auth: SlowToken(fails: false)))
        #expect(sent.headers.isEmpty)
        #expect(sent.url == "https://b.test/x?page=2")
    }

    @Test("an authenticator that fails, or a header that cannot be sent, stops before the wire")
    func failures() async throws {
        await #expect(throws: ExtractError.self) {
            _ = try await send("https://a.test/x", auth: SlowToken(fails: true))
        }
        let e = await #expect(throws: ExtractError.self) {
            _ = try await send("https://a.test/x", auth: NoAuth(), headers: [("X-Key", "abc\n")])
        }
        #expect(e?.kind == .configuration)
        #expect(e?.attempts == 0)
    }
}
