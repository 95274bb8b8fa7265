import Foundation
import Testing

/// The dashboard in a real browser (headless Chromium) over the demo's data, for SQLite and
/// PostgreSQL: the DOM is compared with `connector show` and `connector query`, a child row
/// is reached from its parent, the SQL box answers and refuses a write, no configured secret
/// appears on any page, and a foreign Host header is refused. Screenshots of the main pages
/// go to `.build/dashboard-screenshots/<destination>/`.
@Suite("Dashboard in a browser", .serialized)
struct DashboardBrowserTests {
    static let envSecret = "dash-env-secret-7f3a91"
    static let fileSecret = "dash-file-secret-9c2e44"

    static var kinds: [String] {
        ProcessInfo.processInfo.environment["CONNECTOR_POSTGRES_URL"] == nil ? ["sqlite"] : ["sqlite", "postgres"]
    }

    @Test(
        "pages match show and query; child rows, SQL, refused write, secrets, Host",
        .enabled(if: Chromium.availability), arguments: kinds)
    func dashboard(kind: String) throws {
        let project = try DemoProject(kind: kind, secret: Self.fileSecret)
        let dashboard = try DashboardProcess(
            ["--project", project.directory, "--demo"] + project.destinationArguments, in: project.directory,
            environment: ["CLARI_API_KEY": Self.envSecret])
        defer { dashboard.stop() }
        let shots = repositoryRoot + "/.build/dashboard-screenshots/" + kind
        try? FileManager.default.removeItem(atPath: shots)
        try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
        print("dashboard screenshots (\(kind)): \(shots)")

        // Tables and counts equal `connector show`, pipeline by pipeline.
        let shown = try project.shownCounts()
        #expect(shown.keys.sorted() == ["clari_copilot", "clari_core", "clari_forecast"])
        for (pipeline, counts) in shown {
            let dom = try Chromium.dumpDOM(dashboard.url + "/pipeline?p=\(pipeline)")
            #expect(DOM.tableCounts(dom) == counts, "\(pipeline)")
        }
        try Chromium.screenshot(dashboard.url + "/", to: shots + "/overview.png")

        try childRowFromParent(dashboard, project: project, shots: shots)
        try sqlBox(dashboard, project: project, shown: shown, shots: shots)
        let loadsURL = dashboard.url + "/loads?p=clari_copilot"
        let loads = try Chromium.dumpDOM(loadsURL)
        #expect(loads.contains("id=\"rows-chart\""))
        #expect(DOM.cells(of: "loads", in: loads).contains("calls"))
        // The failed warn check is shown red on the page and by `connector checks`; the other passed.
        #expect(loads.contains(#"<span class="check-failed failed">✗ not_null (warn)</span>"#))
        #expect(loads.contains(#"<span class="check-passed succeeded">✓ row_count_matches</span>"#))
        let checks = try project.checks("clari_copilot")
        #expect(checks.contains("not_null") && checks.contains("FAILED") && checks.contains("row_count_matches"))
        try Chromium.screenshot(loadsURL, to: shots + "/loads.png")
        try secretsStayHidden(dashboard, shown: shown)
        try foreignHostRefused(dashboard)
    }

    /// A child row reached from its parent row: the link's rows are those `connector query` counts.
    func childRowFromParent(_ dashboard: DashboardProcess, project: DemoProject, shots: String) throws {
        let parentPage = dashboard.url + "/table?p=clari_copilot&t=calls"
        let calls = try Chromium.dumpDOM(parentPage)
        let childLink = try #require(DOM.links(calls, class: "child-link").first { $0.contains("t=calls__users") })
        let parentId = try #require(DOM.parameter("parent", in: childLink))
        let expected = try project.scalar(
            "clari_copilot", "SELECT count(*) FROM calls__users WHERE _connector_parent_id = '\(parentId)'")
        #expect(Int(expected) ?? 0 > 0)
        let children = try Chromium.dumpDOM(dashboard.url + childLink)
        #expect(DOM.text(of: "match-count", in: children) == expected)
        #expect(children.contains(parentId))
        try Chromium.screenshot(parentPage, to: shots + "/table.png")
        try Chromium.screenshot(dashboard.url + childLink, to: shots + "/child-rows.png")
    }

    /// The SQL box answers, and refuses a write (the table keeps its rows).
    func sqlBox(
        _ dashboard: DashboardProcess, project: DemoProject, shown: [String: [String: Int]], shots: String
    ) throws {
        let countURL = dashboard.url + "/sql?p=clari_copilot&q=" + DOM.encoded("SELECT count(*) AS n FROM calls")
        let result = try Chromium.dumpDOM(countURL)
        #expect(DOM.cells(of: "sql-result", in: result) == [String(shown["clari_copilot"]?["calls"] ?? -1)])
        try Chromium.screenshot(countURL, to: shots + "/sql.png")
        let deleteURL = dashboard.url + "/sql?p=clari_copilot&q=" + DOM.encoded("DELETE FROM calls")
        let refused = try Chromium.dumpDOM(deleteURL)
        #expect(DOM.text(of: "sql-error", in: refused)?.hasPrefix("refused: this SQL would change the dataset") == true)
        try Chromium.screenshot(deleteURL, to: shots + "/sql-write-refused.png")
        #expect(try project.shownCounts()["clari_copilot"]?["calls"] == shown["clari_copilot"]?["calls"])
    }

    /// Every page, raw from the server, holds neither configured secret, even when the SQL box
    /// is asked to print them.
    func secretsStayHidden(_ dashboard: DashboardProcess, shown: [String: [String: Int]]) throws {
        let echo = DOM.encoded("SELECT '\(Self.envSecret)' AS a, '\(Self.fileSecret)' AS b")
        var paths = ["/", "/sql?p=clari_copilot&q=\(echo)", "/sql.csv?p=clari_copilot&q=\(echo)"]
        for (pipeline, counts) in shown {
            paths += ["/pipeline?p=\(pipeline)", "/loads?p=\(pipeline)", "/sql?p=\(pipeline)"]
            paths += counts.keys.map { "/table?p=\(pipeline)&t=\($0)" }
        }
        for path in paths {
            let page = try dashboard.get(path)
            #expect(page.status == 200, "\(path)")
            #expect(!page.body.contains(Self.envSecret) && !page.body.contains(Self.fileSecret), "\(path)")
        }
        #expect(try dashboard.get("/sql.csv?p=clari_copilot&q=\(echo)").body.contains("***,***"))
    }

    func foreignHostRefused(_ dashboard: DashboardProcess) throws {
        for host in ["evil.example", "evil.example:\(dashboard.port)", "127.0.0.1.nip.io:\(dashboard.port)"] {
            let answer = try dashboard.get("/", host: host)
            #expect(answer.status == 421, "\(host)")
            #expect(!answer.body.contains("<table"), "\(host)")
        }
        #expect(try dashboard.get("/", host: "localhost:\(dashboard.port)").status == 200)
    }
}
