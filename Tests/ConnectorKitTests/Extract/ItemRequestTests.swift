@testable import ConnectorKit
import Testing

/// The pure request builder: where an incremental item starts, how a resumed item's request is
/// completed, and the HTTP request of a page carrying the item's headers.
@Suite("Item request")
struct ItemRequestTests {
    static func incremental(lookback: Double = 0, initial: String? = nil) -> IncrementalSpec {
        IncrementalSpec(
            cursorPath: "updated", startParam: "since", endParam: nil,
            initialValue: initial.map { ConfigString($0, at: SpecLocation(file: "t.yaml", line: 1, column: 1)) },
            lookbackSeconds: lookback)
    }

    static let startCases:
        [(name: String, spec: IncrementalSpec, key: String, state: [String: String], start: String?)] = [
            (
                "stored cursor wins", incremental(initial: "2020-01-01T00:00:00Z"), "",
                ["cursor": "2025-03-01T00:00:00Z"], "2025-03-01T00:00:00Z"
            ),
            (
                "per-item key", incremental(), "region=eu",
                ["cursor": "x", "cursor:region=eu": "2025-03-01T00:00:00Z"], "2025-03-01T00:00:00Z"
            ),
            (
                "lookback moves a timestamp back", incremental(lookback: 3600), "",
                ["cursor": "2025-03-01T00:00:00Z"], "2025-02-28T23:00:00Z"
            ),
            ("lookback leaves a number alone", incremental(lookback: 3600), "", ["cursor": "42"], "42"),
            (
                "initial value without a stored cursor", incremental(initial: "2020-01-01T00:00:00Z"), "region=eu",
                ["cursor": "2025-03-01T00:00:00Z"], "2020-01-01T00:00:00Z"
            ),
            ("nothing to start from", incremental(), "", [:], nil),
        ]

    @Test("incremental start value", arguments: startCases)
    func incrementalStart(
        _ c: (name: String, spec: IncrementalSpec, key: String, state: [String: String], start: String?)
    ) throws {
        let state = StateEncoding.decode(c.state.map { (key: $0.key, value: $0.value) })
        #expect(try ItemRequest.incrementalStart(c.spec, itemKey: c.key, storedState: state) == c.start, "\(c.name)")
    }

    static func built() throws -> ItemRequest {
        let yaml = """
                  - name: items
                    endpoint:
                      path: items
                      params: {api_key: "${TEST_KEY}", kind: open}
                      headers: {X-Team: blue}
                      paginator: single_page
            """
        let project = try TestPipeline.project(baseURL: "http://127.0.0.1:1", resourceYAML: yaml)
        let resource = try #require(project.sources.first?.resources.first)
        return try ItemRequest(
            resource: resource, item: WorkItem(), baseURL: "http://127.0.0.1:1", incrementalStart: nil)
    }

    @Test("a resumed request gets back the secret parameters its checkpoint dropped, once")
    func resuming() throws {
        let request = try Self.built()
        let saved = PageRequest(
            method: "GET", url: "http://127.0.0.1:1/items", params: [("kind", "open"), ("offset", "20")],
            body: nil)
        let resumed = request.resuming(saved, isSecret: { $0 == "api_key" })
        #expect(resumed.params.map { "\($0.0)=\($0.1)" } == ["kind=open", "offset=20", "api_key=secret-key-123456"])
        let again = request.resuming(resumed, isSecret: { $0 == "api_key" })
        #expect(again.params.count == 3)
    }

    @Test("a page's HTTP request carries the item's headers and the page's parameters")
    func http() throws {
        let request = try Self.built()
        let http = request.http(request.page.setting("offset", "10"))
        #expect(http.headers.map { "\($0.0): \($0.1)" } == ["X-Team: blue"])
        #expect(http.url.hasSuffix("offset=10"))
        #expect(http.url.contains("kind=open"))
    }
}
