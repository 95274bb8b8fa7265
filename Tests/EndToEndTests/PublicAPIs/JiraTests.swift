import APISandbox
import ConnectorKit
import Foundation
import SQLiteDestination
import Testing

/// Jira Cloud's issue search, described in sources.yaml only: Basic auth with an API token,
/// `startAt` / `maxResults` / `total` offset pages, records under `issues`, and incremental
/// loading through JQL, which wants `updated >= "yyyy-MM-dd HH:mm"` while issues carry ISO 8601
/// with an offset (`request_format` converts). Loaded into real SQLite files.
@Suite("Public APIs: Jira search", .serialized)
struct JiraTests {
    static func project(_ server: LoopbackHTTPServer) throws -> ProjectSpec {
        let yaml = """
            sources:
              jira:
                client:
                  base_url: \(server.baseURL)
                  auth: {type: http_basic, username: "${JIRA_EMAIL}", password: "${JIRA_API_TOKEN}"}
                  paginator: {type: offset, limit: 50, offset_param: startAt, limit_param: maxResults, total_path: total}
                resources:
                  - name: issues
                    primary_key: id
                    write_disposition: merge
                    endpoint:
                      path: rest/api/3/search
                      params:
                        jql: 'project = PROJ AND updated >= "{incremental.start_value}" ORDER BY updated ASC'
                        fields: summary,status,updated
                      data_selector: issues
                      incremental:
                        cursor_path: fields.updated
                        initial_value: "2024-01-01T00:00:00.000+0000"
                        request_format: "yyyy-MM-dd HH:mm"
                    processing_steps:
                      - map: {drop: [self, expand]}
                      - map: {rename: {from: fields.status.name, to: status}}
            pipelines:
              jira: {source: jira}
            """
        let environment = ["JIRA_EMAIL": JiraAPI.email, "JIRA_API_TOKEN": JiraAPI.token]
        return try SpecLoader(environment: environment).parseSources(yaml, file: "jira.yaml")
    }

    @Test("loads every issue exactly, reruns without duplicates, and then asks JQL only for changed issues")
    func searchIncremental() async throws {
        let api = JiraAPI()
        let server = try await LoopbackHTTPServer.start(handler: api.handle)
        let destination = SQLiteDestination(pathTemplate: temporaryDirectory() + "/{pipeline}.sqlite")
        let runner = PipelineRunner(project: try Self.project(server), destination: destination)
        let sql = { (q: String) in try await scalar(destination, "jira", q) }

        let first = try await runner.run("jira")
        let firstOutcome = try #require(first.outcomes.first)
        #expect(firstOutcome.status == .succeeded, "\(firstOutcome.message ?? "")")
        #expect(firstOutcome.rows["issues"] == api.all.count)
        #expect(firstOutcome.requests == (api.all.count + JiraAPI.pageCap - 1) / JiraAPI.pageCap)
        #expect(try await sql("SELECT count(*) FROM issues") == String(api.all.count))
        #expect(api.seenJQL.first == #"project = PROJ AND updated >= "2024-01-01 00:00" ORDER BY updated ASC"#)
        #expect(try await sql("SELECT count(*) FROM issues WHERE status IN ('Done', 'To Do')") == String(api.all.count))
        let cursor = try #require(try await sql("SELECT value FROM _connector_state WHERE resource = 'issues'"))
        #expect(cursor == JiraAPI.jiraTime(api.all.map(\.updated).max() ?? 0))

        // Nothing changed: the rerun asks from the cursor's minute and merges what it gets again.
        let rerun = try await runner.run("jira")
        #expect(rerun.outcomes.first?.status == .succeeded)
        #expect(try await sql("SELECT count(DISTINCT id) || '/' || count(*) FROM issues") == "137/137")

        let (changed, added) = api.mutate(added: 5)
        let before = api.seenJQL.count
        let third = try await runner.run("jira")
        let jql = try #require(api.seenJQL.last)
        let minute = cursor.prefix(16).replacingOccurrences(of: "T", with: " ")
        #expect(api.seenJQL.count - before == 1, "one page of changes")
        #expect(jql.contains(#"updated >= "\#(minute)""#), "\(jql)")
        let asked = JiraAPI.matching(api.all, jql: jql).count
        // The changed and new issues, plus the last issue of the first run (same minute as the cursor).
        #expect(asked == changed + added + 1)
        #expect(third.outcomes.first?.rows["issues"] == asked)
        let total = api.all.count
        #expect(try await sql("SELECT count(DISTINCT id) || '/' || count(*) FROM issues") == "\(total)/\(total)")
        #expect(try await sql("SELECT count(*) FROM issues WHERE fields__summary LIKE '%(edited)'") == String(changed))
        await server.shutdown()
    }
}
