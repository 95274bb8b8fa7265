import APISandbox
import ConnectorKit
import Foundation
import Testing

/// A placeholder means the same in the path, the parameters, the headers and the JSON body:
/// the server sees one value in all four, on a first run (the initial value) and on the next
/// (the stored cursor).
@Suite("Placeholders in every request position")
struct PlaceholderPositionsTests {
    static let resource = """
              - name: items
                endpoint:
                  method: POST
                  path: "items/{region}/{incremental.start_value}"
                  params: {since: "{incremental.start_value}", region: "{region}"}
                  headers: {X-Since: "{incremental.start_value}", X-Region: "{region}"}
                  json: {filter: {since: "{incremental.start_value}", region: "{region}"}}
                  partitions: {region: {type: list, values: [eu]}}
                  data_selector: items
                  paginator: single_page
                  incremental: {cursor_path: updated, initial_value: "2025-01-01T00:00:00Z"}
        """

    @Test("path, params, headers and json all receive {incremental.start_value} and a partition value")
    func samePlaceholderEverywhere() async throws {
        let seen = LockedList<[String: String]>()  // per request: the value in each position
        let server = try await LoopbackHTTPServer.start { r in
            let body = (try? JSONSerialization.jsonObject(with: Data(r.body))) as? [String: Any]
            let filter = body?["filter"] as? [String: Any]
            let segments = r.path.split(separator: "/").map(String.init)
            seen.append([
                "path": segments.last ?? "", "pathRegion": segments.dropFirst().first ?? "",
                "param": r.query["since"] ?? "", "header": r.headers["x-since"] ?? "",
                "json": filter?["since"] as? String ?? "",
                "regions": [r.query["region"], r.headers["x-region"], filter?["region"] as? String].map { $0 ?? "-" }
                    .joined(separator: ","),
            ])
            let items =
                #"{"items":[{"id":1,"updated":"2025-02-01T00:00:00Z"},{"id":2,"updated":"2025-03-01T00:00:00Z"}]}"#
            return SandboxResponse(
                status: 200, headers: [("Content-Type", "application/json")], body: Array(items.utf8))
        }
        let project = try TestPipeline.project(baseURL: server.baseURL, resourceYAML: Self.resource)
        let destination = MemoryDestination()
        let first = try await PipelineRunner(project: project, destination: destination).run("test")
        let second = try await PipelineRunner(project: project, destination: destination).run("test")
        await server.shutdown()
        #expect(first.outcomes.first?.status == .succeeded, "\(first.outcomes.first?.message ?? "")")
        #expect(second.outcomes.first?.status == .succeeded, "\(second.outcomes.first?.message ?? "")")
        let requests = seen.items
        try #require(requests.count == 2)
        for (request, expected) in zip(requests, ["2025-01-01T00:00:00Z", "2025-03-01T00:00:00Z"]) {
            for position in ["path", "param", "header", "json"] {
                #expect(request[position] == expected, "\(position): \(request)")
            }
            #expect(request["pathRegion"] == "eu")
            #expect(request["regions"] == "eu,eu,eu")
        }
    }

    /// Loading refuses this spec (see PlaceholderCheckTests); a spec built in code still gets a clear error.
    @Test("with no stored cursor and no initial value, the placeholder's run-time error says why")
    func noStartValue() async throws {
        let server = try await LoopbackHTTPServer.start { _ in SandboxResponse(status: 200, body: Array("[]".utf8)) }
        let yaml =
            "      - {name: items, endpoint: {path: items, params: {since: \"{incremental.start_value}\"}, "
            + "paginator: single_page, incremental: {cursor_path: updated, initial_value: x}}}"
        var project = try TestPipeline.project(baseURL: server.baseURL, resourceYAML: yaml)
        project.sources[0].resources[0].endpoint.incremental?.initialValue = nil
        let report = try await PipelineRunner(project: project, destination: MemoryDestination()).run("test")
        await server.shutdown()
        let outcome = try #require(report.outcomes.first)
        #expect(outcome.status == .failed)
        #expect(
            outcome.message?.contains("no cursor is stored yet and incremental has no initial_value") == true,
            "\(outcome.message ?? "")")
        #expect(outcome.message?.contains("test.yaml:8:") == true, "\(outcome.message ?? "")")
    }
}
