import APISandbox
import ConnectorKit
import Foundation
import Testing

@Suite("Parent/child resources: the resolve graph")
struct ResourceGraphTests {
    /// A source whose resources are `resources` (YAML list items, indented six spaces).
    static func spec(_ resources: String) -> String {
        """
        sources:
          api:
            client: {base_url: "http://127.0.0.1:9"}
            resources:
        \(resources)
        pipelines:
          api: {source: api}
        """
    }

    /// A resource whose parameter `p` resolves field `id` of `parent`; its `resource:` value
    /// sits at column 68 of its line.
    static func child(_ name: String, of parent: String, param: String = "p") -> String {
        "      - {name: \(name), endpoint: {params: {\(param): {type: resolve, resource: \(parent), field: id}}}}"
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let resources: [String]
        let line: Int
        let column: Int
        let fragments: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "a resource resolving from itself", resources: ["      - users", child("a", of: "a")],
            line: 6, column: 68, fragments: ["'a' resolves a parameter from itself (a → a)"]),
        Case(
            name: "a cycle of two", resources: ["      - users", child("a", of: "b"), child("b", of: "a")],
            line: 6, column: 68, fragments: ["cycle: a → b → a"]),
        Case(
            name: "a cycle of three, reported from the first declared",
            resources: [
                child("c", of: "a"), child("b", of: "c"), child("a", of: "b"), "      - users",
            ], line: 5, column: 68, fragments: ["cycle: c → a → b → c"]),
        Case(
            name: "a cycle below a healthy parent",
            resources: [
                "      - users", child("d", of: "users"), child("e", of: "f"), child("f", of: "e"),
            ], line: 7, column: 68, fragments: ["cycle: e → f → e"]),
        Case(
            name: "two parents for one resource",
            resources: [
                "      - users", "      - teams",
                "      - {name: a, endpoint: {params: {u: {type: resolve, resource: users, field: id}, "
                    + "t: {type: resolve, resource: teams, field: id}}}}",
            ], line: 7, column: 116, fragments: ["'a' resolves from both 'users' (line 7) and 'teams'", "one parent"]),
        Case(
            name: "an undefined parent in a second parameter",
            resources: [
                "      - users",
                "      - {name: a, endpoint: {params: {u: {type: resolve, resource: users, field: id}, "
                    + "t: {type: resolve, resource: userz, field: id}}}}",
            ], line: 6, column: 116,
            fragments: ["resource 'userz', which source 'api' does not define", "did you mean 'users'?"]),
    ]

    @Test("validate rejects a bad resolve graph at the offending resolve, naming the path", arguments: cases)
    func rejected(_ c: Case) throws {
        let yaml = Self.spec(c.resources.joined(separator: "\n"))
        let e = #expect(throws: SpecError.self) {
            _ = try SpecLoader(environment: [:]).parseSources(yaml, file: "sources.yaml")
        }
        #expect(
            e?.location == SpecLocation(file: "sources.yaml", line: c.line, column: c.column), "\(e?.description ?? "")"
        )
        for fragment in c.fragments {
            #expect(e?.message.contains(fragment) == true, "\(e?.message ?? "") lacks \(fragment)")
        }
    }

    @Test("a chain of parents is fine")
    func chain() throws {
        let yaml = Self.spec(
            ["      - users", Self.child("a", of: "users"), Self.child("b", of: "a")].joined(separator: "\n"))
        let source = try #require(
            try SpecLoader(environment: [:]).parseSources(yaml, file: "sources.yaml").sources.first)
        #expect(source.resources.map(\.parent) == [nil, "users", "a"])
    }

    /// Parent `users` answers `records`; child `calls` resolves `field` of each into its path.
    func run(parentRecords records: String, field: String) async throws -> (
        outcome: ResourceReport?, childRequests: Int
    ) {
        let recorder = RequestRecorder()
        let server = try await LoopbackHTTPServer.start { r in
            if r.path == "/users" { return SandboxResponse(status: 200, body: Array(records.utf8)) }
            _ = recorder.record(r)
            return SandboxResponse(status: 200, body: Array("[{\"n\":1}]".utf8))
        }
        let project = try TestPipeline.project(
            baseURL: server.baseURL,
            resourceYAML: """
                      - {name: users, endpoint: {path: users, paginator: single_page}}
                      - name: calls
                        endpoint:
                          path: users/{user}/calls
                          paginator: single_page
                          params: {user: {type: resolve, resource: users, field: \(field)}}
                """)
        let report = try await PipelineRunner(project: project, destination: MemoryDestination()).run("test")
        await server.shutdown()
        return (report.outcomes.first { $0.resource == "calls" }, recorder.requests.count)
    }

    @Test("a resolve field that no parent record has fails the child, naming field and parent")
    func fieldMatchesNothing() async throws {
        let (outcome, requests) = try await run(parentRecords: #"[{"id": 1}, {"id": 2}]"#, field: "user_id")
        #expect(outcome?.status == .failed)
        let message = outcome?.message ?? ""
        for fragment in [
            "'calls'", "parameter 'user'", "field 'user_id'", "resource 'users'", "none of its 2 record(s)",
        ] {
            #expect(message.contains(fragment), "\(message) lacks \(fragment)")
        }
        #expect(requests == 0)
    }

    @Test("parent records whose field is null are skipped with a note; the others are requested")
    func nullFieldSkipped() async throws {
        let (outcome, requests) = try await run(parentRecords: #"[{"id": 1}, {"id": null}, {"id": 3}]"#, field: "id")
        #expect(outcome?.status == .succeeded, "\(outcome?.message ?? "")")
        #expect(outcome?.notes.contains { $0.contains("1 parent record(s) had a null value") } == true)
        #expect(requests == 2)
    }
}
