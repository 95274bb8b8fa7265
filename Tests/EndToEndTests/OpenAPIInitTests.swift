import APISandbox
import ConnectorKit
import Foundation
import OpenAPIImport
import SQLiteDestination
import Testing

/// `connector init --openapi` on Clari's own published documents: the drafted sources validate and,
/// against the sandbox with only the base URL and variables set, load the read endpoints of our
/// hand-written sources.yaml with equal row counts. SKIPPED, loudly, when the documents are absent.
@Suite("Sources drafted from Clari's OpenAPI documents", .serialized)
struct OpenAPIInitTests {
    struct Case: Sendable {
        let file: String
        let name: String
        let handPipeline: String
        /// Hand-written resource → drafted resource (names come from paths).
        let resources: [(hand: String, drafted: String)]
        let variables: @Sendable (SandboxServer) -> [String: String]
    }

    static let cases: [Case] = [
        Case(
            file: "clari-copilot.openapi.yml", name: "copilot_gen", handPipeline: "clari_copilot",
            resources: [
                ("calls", "calls"), ("call_details", "call_details"), ("users", "users"), ("topics", "topics"),
                ("v2_topics", "v2_topics"), ("scorecards", "scorecard"),
            ],
            variables: { server in
                let keys = server.api.configuration.credentials
                return [
                    "COPILOT_GEN_BASE_URL": server.copilotBaseURL + "/copilot", "COPILOT_GEN_API_KEY": keys.copilotKey,
                    "COPILOT_GEN_API_PASSWORD": keys.copilotPassword,
                ]
            }),
        Case(
            file: "clari-revenue.openapi.yml", name: "clari_gen", handPipeline: "clari_core",
            resources: [
                ("audit_events", "audit_events"), ("export_jobs", "export_jobs"),
                ("export_job_results", "export_jobs_results"), ("admin_limits", "admin_limits"),
            ],
            variables: { server in
                ["CLARI_GEN_BASE_URL": server.baseURL + "/v4", "CLARI_GEN_API_KEY": server.api.configuration.credentials.apiKey]
            }),
    ]

    @Test(
        "a drafted source loads what the hand-written one loads, row for row",
        .enabled(if: OpenAPIExamples.found, OpenAPIExamples.skipNote), arguments: cases.indices)
    func draftedMatchesHandWritten(_ index: Int) async throws {
        let c = Self.cases[index]
        let directory = try #require(OpenAPIExamples.directory)
        let text = try String(contentsOfFile: directory + "/" + c.file, encoding: .utf8)
        let draft = try OpenAPIImporter.draft(name: c.name, text: text, file: c.file)
        let yaml = OpenAPIImporter.yaml(draft, origin: c.file)
            + "pipelines:\n  \(c.name): {source: \(c.name), destination: sqlite}\n"
        let server = try await SandboxServer.start(SandboxConfiguration(scale: 1, faults: .none))
        do {
            var env = server.environment
            env.merge(c.variables(server)) { $1 }
            let drafted = try SpecLoader(environment: env).parseSources(yaml, file: c.name)
            let hand = try projectSpec(for: server)
            let handDestination = SQLiteDestination(pathTemplate: temporaryDirectory("hand") + "/{pipeline}.sqlite")
            let draftDestination = SQLiteDestination(pathTemplate: temporaryDirectory("draft") + "/{pipeline}.sqlite")
            let handReport = try await PipelineRunner(project: hand, destination: handDestination)
                .run(c.handPipeline, resources: c.resources.map(\.hand))
            let draftReport = try await PipelineRunner(project: drafted, destination: draftDestination)
                .run(c.name, resources: c.resources.map(\.drafted))
            #expect(handReport.succeeded, "\(handReport.rendered())")
            #expect(draftReport.succeeded, "\(draftReport.rendered())")
            let handCounts = try await tableCounts(handDestination, c.handPipeline)
            let draftCounts = try await tableCounts(draftDestination, c.name)
            for (handName, draftName) in c.resources {
                let expected = try #require(handCounts[handName], "hand-written \(handName) loaded no table")
                #expect(expected > 0, "\(handName): the sandbox serves rows")
                #expect(draftCounts[draftName] == expected, "\(draftName): drafted \(draftCounts[draftName] ?? -1), hand \(expected)")
            }
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }
}

/// The command itself, through the real binary: adds the source under `sources:`, validates, and
/// refuses a name already there, leaving sources.yaml as it was.
@Suite("connector init --openapi (binary)", .serialized)
struct InitOpenAPICommandTests {
    @Test(
        "init adds a validating source; a second init with the same name is refused, file unchanged",
        .enabled(if: OpenAPIExamples.found, OpenAPIExamples.skipNote))
    func addsAndRefuses() throws {
        let directory = try #require(OpenAPIExamples.directory)
        let project = temporaryDirectory("init")
        try copyProject(to: project)
        let document = directory + "/clari-copilot.openapi.yml"
        let first = try runConnector(["init", "copilot_gen", "--openapi", document], in: project)
        #expect(first.status == 0, "\(first.errors)")
        let text = try String(contentsOfFile: project + "/sources.yaml", encoding: .utf8)
        #expect(text.contains("\n  copilot_gen:\n"))
        #expect(text.contains("clari_copilot:"), "the hand-written sources stay")
        let validate = try runConnector(["validate"], in: project)
        #expect(validate.status == 0, "\(validate.errors)")
        let again = try runConnector(["init", "copilot_gen", "--openapi", document], in: project)
        #expect(again.status == 2)
        #expect(again.errors.contains("already has a source `copilot_gen`"), "\(again.errors)")
        #expect(try String(contentsOfFile: project + "/sources.yaml", encoding: .utf8) == text)
        let missing = try runConnector(["init", "x", "--openapi", project + "/nope.yml"], in: project)
        #expect(missing.status == 2 && missing.errors.contains("nope.yml"), "\(missing.errors)")
    }
}
