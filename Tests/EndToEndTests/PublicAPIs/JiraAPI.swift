import APISandbox
import CivilTime
import Foundation

/// A loopback Jira Cloud search API, modelled on Atlassian's `GET /rest/api/3/search`: JQL in
/// `jql`, offset pages with `startAt` / `maxResults` (capped at 50, as Jira caps it), the page
/// in `issues`, the match count in `total`; issue times as `2025-03-10T08:30:45.123+0000`.
/// It reads `updated >= "yyyy-MM-dd HH:mm"` from the JQL (minutes, UTC), remembers every JQL
/// it saw, and answers 401 without the Basic credentials (email + API token).
final class JiraAPI: @unchecked Sendable {
    struct Issue {
        var id: Int
        var summary: String
        var status: String
        /// Epoch milliseconds.
        var updated: Int
    }

    static let email = "robot@example.com"
    static let token = "jira-api-token-7f3a"
    static let pageCap = 50

    private let lock = NSLock()
    private var issues: [Issue]
    private var jqls: [String] = []

    /// 137 issues (not a whole number of pages), updated at odd seconds and milliseconds
    /// through early 2025.
    init(count: Int = 137) {
        let start = 1_735_689_600_000  // 2025-01-01T00:00:00Z
        issues = (1...count).map { n in
            Issue(
                id: 10_000 + n, summary: "Issue \(n)", status: n % 7 == 0 ? "Done" : "To Do",
                updated: start + n * 3_600_017 + n % 1000)
        }
    }

    var seenJQL: [String] { lock.withLock { jqls } }
    var all: [Issue] { lock.withLock { issues } }

    /// Edits every tenth issue and adds `added` new ones, all after every earlier update.
    func mutate(added: Int) -> (changed: Int, added: Int) {
        lock.withLock {
            let later = (issues.map(\.updated).max() ?? 0) + 86_400_000
            var changed = 0
            for i in issues.indices where i % 10 == 0 {
                issues[i].summary += " (edited)"
                issues[i].updated = later + i * 1000
                changed += 1
            }
            let next = (issues.map(\.id).max() ?? 10_000) + 1
            for k in 0..<added {
                issues.append(Issue(id: next + k, summary: "New \(k)", status: "To Do", updated: later + k * 7))
            }
            return (changed, added)
        }
    }

    /// The issues a JQL `updated >= "yyyy-MM-dd HH:mm"` matches (all without one), in update order.
    static func matching(_ issues: [Issue], jql: String) -> [Issue] {
        let sorted = issues.sorted { ($0.updated, $0.id) < ($1.updated, $1.id) }
        guard let since = since(jql) else { return sorted }
        return sorted.filter { $0.updated >= since }
    }

    /// `updated >= "2025-03-10 08:30"` → epoch milliseconds of that minute (UTC).
    static func since(_ jql: String) -> Int? {
        guard let range = jql.range(of: #"updated >= "(\d{4}-\d{2}-\d{2} \d{2}:\d{2})""#, options: .regularExpression)
        else { return nil }
        let quoted = jql[range].split(separator: "\"")[1]
        return Timestamps.parse(quoted + ":00Z").map { $0 * 1000 }
    }

    static func jiraTime(_ millis: Int) -> String {
        String(Timestamps.iso(millis / 1000, millis: millis % 1000).dropLast()) + "+0000"
    }

    func handle(_ r: SandboxRequest) -> SandboxResponse {
        let basic = "Basic " + Data("\(Self.email):\(Self.token)".utf8).base64EncodedString()
        guard r.headers["authorization"] == basic else {
            return Self.json(401, #"{"errorMessages":["You are not authenticated."],"errors":{}}"#)
        }
        guard r.path == "/rest/api/3/search" else { return Self.json(404, #"{"errorMessages":["Not found"]}"#) }
        let jql = r.query["jql"] ?? ""
        let startAt = Int(r.query["startAt"] ?? "0") ?? 0
        let maxResults = min(Int(r.query["maxResults"] ?? "50") ?? 50, Self.pageCap)
        let matched = lock.withLock {
            jqls.append(jql)
            return Self.matching(issues, jql: jql)
        }
        let page = matched.dropFirst(startAt).prefix(maxResults).map { issue in
            #"{"expand":"operations,editmeta","id":"\#(issue.id)","self":"https://example.atlassian.net/rest/api/3/issue/"#
                + #"\#(issue.id)","key":"PROJ-\#(issue.id - 10_000)","fields":{"summary":"\#(issue.summary)","#
                + #""status":{"name":"\#(issue.status)"},"updated":"\#(Self.jiraTime(issue.updated))"}}"#
        }
        return Self.json(
            200,
            #"{"expand":"schema,names","startAt":\#(startAt),"maxResults":\#(maxResults),"total":\#(matched.count),"#
                + #""issues":[\#(page.joined(separator: ","))]}"#)
    }

    private static func json(_ status: Int, _ body: String) -> SandboxResponse {
        SandboxResponse(status: status, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
    }
}
