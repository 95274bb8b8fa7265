import APISandbox
import ConnectorKit
import Foundation
import SQLiteDestination
import Synchronization
import Testing

/// GitHub's "list repository issues" as its REST docs describe it: `GET /repos/{owner}/{repo}/issues`
/// with `state`, `sort`, `direction`, `since` (issues updated at or after an ISO 8601 time) and
/// `per_page`/`page`; the next page only in an RFC 8288 `Link` header (`rel="next"`, `rel="last"`),
/// pointing at `/repositories/{id}/issues`; `Authorization: Bearer <token>`, 401 without it.
final class GitHubServer: Sendable {
    static let token = "ghp_fixtureToken0123456789"
    struct Issue: Sendable {
        var number: Int
        var title: String
        var updatedAt: Int
        var labels: [String]
    }
    private let issues: Mutex<[Issue]>
    /// Every request's path and query, as the server saw them.
    let seen = Mutex<[(path: String, query: [String: String])]>([])

    init(count: Int) {
        issues = Mutex(
            (1...count).map { n in
                Issue(
                    number: n, title: "issue \(n)", updatedAt: 1_700_000_000 + n * 60,
                    labels: n % 3 == 0 ? ["bug", "p\(n % 2)"] : [])
            })
    }

    var all: [Issue] { issues.withLock { $0 } }

    /// Edits `numbers` (a later `updated_at`, a new title) and opens `new` more issues.
    func change(_ numbers: [Int], new: Int) {
        issues.withLock { list in
            let latest = list.map(\.updatedAt).max() ?? 0
            for (i, n) in numbers.enumerated() {
                list[n - 1].updatedAt = latest + 3600 + i
                list[n - 1].title += " (edited)"
            }
            let first = list.count + 1
            for n in first..<(first + new) {
                list.append(Issue(number: n, title: "issue \(n)", updatedAt: latest + 7200 + n, labels: []))
            }
        }
    }

    func answer(_ r: SandboxRequest) -> SandboxResponse {
        seen.withLock { $0.append((r.path, r.query)) }
        guard r.headers["authorization"] == "Bearer \(Self.token)" else {
            return SandboxResponse(status: 401, body: Array(#"{"message":"Requires authentication"}"#.utf8))
        }
        guard r.path == "/repos/octo/widgets/issues" || r.path == "/repositories/4242/issues" else {
            return SandboxResponse(status: 404, body: Array(#"{"message":"Not Found"}"#.utf8))
        }
        let perPage = min(100, Int(r.query["per_page"] ?? "") ?? 30)
        let page = max(1, Int(r.query["page"] ?? "") ?? 1)
        let since = r.query["since"].flatMap(ISO8601DateFormatter().date(from:)).map { Int($0.timeIntervalSince1970) }
        let matching = all.filter { since == nil || $0.updatedAt >= since ?? 0 }.sorted { $0.updatedAt < $1.updatedAt }
        let slice = matching.dropFirst((page - 1) * perPage).prefix(perPage)
        let last = max(1, (matching.count + perPage - 1) / perPage)
        var headers = [("Content-Type", "application/json; charset=utf-8")]
        if page < last {
            func link(_ p: Int) -> String {
                var q = r.query
                q["page"] = String(p)
                let query = q.sorted { $0.key < $1.key }.map { "\($0.key)=\(URLText.encode($0.value))" }
                return "<\(r.origin)/repositories/4242/issues?\(query.joined(separator: "&"))>"
            }
            headers.append(("Link", "\(link(page + 1)); rel=\"next\", \(link(last)); rel=\"last\""))
        }
        let body = "[" + slice.map(Self.json).joined(separator: ",") + "]"
        return SandboxResponse(status: 200, headers: headers, body: Array(body.utf8))
    }

    static func json(_ issue: Issue) -> String {
        let date = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(issue.updatedAt)))
        let labels = issue.labels.enumerated().map { #"{"id":\#(900 + $0.offset),"name":"\#($0.element)"}"# }
        return #"{"id":\#(1_000_000 + issue.number),"number":\#(issue.number),"title":"\#(issue.title)","#
            + #""state":"open","user":{"login":"octocat","id":1},"labels":[\#(labels.joined(separator: ","))],"#
            + #""created_at":"2023-11-14T22:13:20Z","updated_at":"\#(date)"}"#
    }

    /// The snippet a user writes for it.
    static func sources(_ base: String) -> String {
        """
        sources:
          github:
            client:
              base_url: \(base)
              auth: {type: bearer, token: "${GITHUB_TOKEN}"}
              headers: {Accept: application/vnd.github+json, X-GitHub-Api-Version: "2022-11-28"}
              paginator: header_link
            resources:
              - name: issues
                primary_key: id
                write_disposition: merge
                endpoint:
                  path: repos/octo/widgets/issues
                  params: {state: all, sort: updated, direction: asc, per_page: 25}
                  incremental: {cursor_path: updated_at, start_param: since, initial_value: "2000-01-01T00:00:00Z"}
        pipelines:
          gh: {source: github}
        """
    }
}

@Suite("Public API shapes: GitHub issues (Link header, since)", .serialized)
struct GitHubAPITests {
    @Test("loads every issue across Link-header pages, merges a rerun, and asks only for issues updated since")
    func issues() async throws {
        let github = GitHubServer(count: 110)
        let server = try await LoopbackHTTPServer.start { r in github.answer(r) }
        let project = try SpecLoader(environment: ["GITHUB_TOKEN": GitHubServer.token])
            .parseSources(GitHubServer.sources(server.baseURL), file: "sources.yaml")
        let destination = SQLiteDestination(pathTemplate: temporaryDirectory() + "/{pipeline}.sqlite")
        let runner = PipelineRunner(project: project, destination: destination)

        let first = try await runner.run("gh")
        #expect(first.succeeded)
        #expect(try await tableCounts(destination, "gh")["issues"] == 110)
        #expect(github.seen.withLock { $0.count } == 5, "110 issues at 25 per page")
        #expect(github.seen.withLock { $0.dropFirst().allSatisfy { $0.path == "/repositories/4242/issues" } })
        let labelled = github.all.reduce(0) { $0 + $1.labels.count }
        #expect(try await tableCounts(destination, "gh")["issues__labels"] == labelled)

        let cursor = ISO8601DateFormatter().string(
            from: Date(timeIntervalSince1970: Double(github.all.map(\.updatedAt).max() ?? 0)))
        github.change([3, 50], new: 4)
        github.seen.withLock { $0.removeAll() }
        let second = try await runner.run("gh")
        let asked = github.seen.withLock { $0 }
        await server.shutdown()
        #expect(second.succeeded)
        #expect(asked.count == 1 && asked.first?.query["since"] == cursor, "\(asked)")
        // The issue at the cursor itself comes again (since is inclusive); the merge keeps one row.
        #expect(second.outcomes.first?.rows["issues"] == 7)
        #expect(try await tableCounts(destination, "gh")["issues"] == 114)
        let edited = try await scalar(destination, "gh", "SELECT count(*) FROM issues WHERE title LIKE '%(edited)'")
        #expect(edited == "2")
        let distinct = try await scalar(destination, "gh", "SELECT count(DISTINCT id) FROM issues")
        #expect(distinct == "114")
    }
}
