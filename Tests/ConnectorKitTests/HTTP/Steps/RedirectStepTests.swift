@testable import ConnectorKit
import Testing

@Suite("HTTP step: redirects")
struct RedirectStepTests {
    @Test(
        "Location is followed, relative (to the origin) or absolute; 303 becomes a GET without body",
        arguments: [
            (302, "/b", "https://a.test:443/b", "POST"), (307, "c", "https://a.test:443/c", "POST"),
            (301, "https://other.test/d", "https://other.test/d", "POST"), (303, "/e", "https://a.test:443/e", "GET"),
        ])
    func follows(_ status: Int, _ location: String, _ expectedURL: String, _ method: String) async throws {
        let next = ScriptedNext([.status(status, headers: [("Location", location)]), .status(200)])
        let request = HTTPRequest(method: "POST", url: "https://a.test/start", body: [1])
        let response = try await RedirectStep().handle(request, context: .test(), next: next.call)
        #expect(response.status == 200)
        #expect(next.requests.last?.url == expectedURL)
        #expect(next.requests.last?.method == method)
        #expect((next.requests.last?.body == nil) == (method == "GET"))
    }

    @Test("a hop keeps the attempt number it was answered at")
    func hopKeepsAttempt() async throws {
        let next = ScriptedNext([.status(302, headers: [("Location", "/b")]), .status(200)])
        var first = HTTPResponse(status: 302, headers: [("Location", "/b")], body: [])
        first.attempts = 3
        let answers = [first, HTTPResponse(status: 200, headers: [], body: [])]
        var calls = 0
        let start = HTTPRequest(url: "https://a.test/")
        _ = try await RedirectStep().handle(start, context: .test()) { r, c throws(ExtractError) in
            _ = try await next.call(r, c)
            calls += 1
            return answers[calls - 1]
        }
        #expect(next.contexts.map(\.attempt) == [1, 3])
    }

    static let start = HTTPRequest(url: "https://a.test/")

    @Test("more than the limit fails; 304 and a 3xx without Location are answers")
    func limits() async throws {
        let loop = ScriptedNext([.status(302, headers: [("Location", "/again")])])
        let e = await #expect(throws: ExtractError.self) {
            _ = try await RedirectStep(limit: 5).handle(Self.start, context: .test(), next: loop.call)
        }
        #expect(e?.message == "more than 5 redirects")
        #expect(loop.requests.count == 6)
        for status in [304, 302] {
            let next = ScriptedNext([.status(status)])
            let response = try await RedirectStep().handle(Self.start, context: .test(), next: next.call)
            #expect(response.status == status)
        }
    }
}
