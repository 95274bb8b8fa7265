import Foundation

/// The table. Each row: a spec, how the servers behave, the commands, what must hold. Add a
/// case by adding a row (the helpers below write the usual project around one resource).
enum HostileCases {
    static var all: [HostileCase] {
        stalls + counts
    }

    // MARK: helpers

    /// A project with source `s`, pipeline `p` (into SQLite) and the given client and
    /// resources (YAML, already indented for their place).
    static func spec(client: String, resources: String) -> String {
        """
        sources:
          s:
            client:
              base_url: "{home}"
        \(client)
            resources:
        \(resources)
        pipelines:
          p: {source: s}
        """
    }

    /// One resource `items` with the given endpoint lines.
    static func items(_ endpoint: String) -> String {
        """
              - name: items
                primary_key: [id]
                endpoint:
                  path: items
                  data_selector: items
        \(endpoint)
        """
    }

    /// `{"items": [{"id": a}, …]}` plus extra top-level fields.
    static func page(_ ids: some Sequence<Int>, _ extra: String = "") -> String {
        "{\"items\": [" + ids.map { "{\"id\": \($0)}" }.joined(separator: ", ") + "]" + (extra.isEmpty ? "" : ", " + extra) + "}"
    }

    static func expect(_ condition: Bool, _ problem: @autoclosure () -> String) -> [String] {
        condition ? [] : [problem()]
    }

    /// The report's numbers equal what the server saw, and the rows add up to the footer.
    static func countsMatchServer(_ results: [StepResult]) -> [String] {
        guard let r = results.last, let requests = r.reported("requests"), let retries = r.reported("retries") else {
            return ["no JSON report on stdout"]
        }
        let rows = (r.report?["resources"] as? [[String: Any]] ?? [])
        let rowRequests = rows.compactMap { $0["requests"] as? Int }.reduce(0, +)
        let rowRetries = rows.compactMap { $0["retries"] as? Int }.reduce(0, +)
        return expect(requests == r.home.count + r.other.count,
                      "report says \(requests) requests, the servers saw \(r.home.count + r.other.count)")
            + expect(rowRequests == requests && rowRetries == retries,
                     "rows say \(rowRequests) requests (\(rowRetries) retried), the footer \(requests) (\(retries))")
    }

    // MARK: item 2 — every read has a deadline

    static let stalls: [HostileCase] = [
        HostileCase(
            name: "a body that stalls after its first bytes fails (timeout: 1s), retried, naming resource and attempts",
            spec: spec(client: """
                      timeout: 1s
                      retry: {max_attempts: 2, base_delay: 10ms, max_delay: 20ms}
                """, resources: items("          paginator: {type: single_page}")),
            home: { _ in .stall(prefix: "{\"items\": [") },
            steps: [Step(exitCode: 1, outputContains: ["resource 'items'", "/items", "after 2 attempts"],
                         check: { r in
                             expect(r[0].home.count == 2, "the server saw \(r[0].home.count) requests, expected 2")
                                 + expect(r[0].output.contains("1 s (timeout)") || r[0].output.contains("1 s (idle_timeout)"),
                                          "the error does not name the deadline")
                         })],
            budget: Budget(seconds: 15)),
        HostileCase(
            name: "a server that trickles past the whole-response deadline fails at the timeout",
            spec: spec(client: """
                      timeout: 400ms
                      idle_timeout: 10s
                      retry: {max_attempts: 1}
                """, resources: items("          paginator: {type: single_page}")),
            home: { _ in .stall(prefix: "{\"items\": [") },
            steps: [Step(exitCode: 1, outputContains: ["resource 'items'", "after 1 attempt", "longer than 400 ms (timeout)"])],
            budget: Budget(seconds: 15)),
        HostileCase(
            name: "a stall once, then a healthy answer: the retry loads everything",
            spec: spec(client: """
                      timeout: 500ms
                      retry: {max_attempts: 3, base_delay: 10ms, max_delay: 20ms}
                """, resources: items("          paginator: {type: single_page}")),
            home: { r in r.pathCount == 1 ? .stall(prefix: "{\"items\": [") : .json(page([1, 2])) },
            steps: [Step(check: { r in
                expect(r[0].reported("rows") == 2, "rows: \(String(describing: r[0].reported("rows")))")
                    + expect(r[0].reported("retries") == 1, "retries: \(String(describing: r[0].reported("retries")))")
                    + countsMatchServer(r)
            })],
            budget: Budget(seconds: 15)),
    ]

    // MARK: item 9 / issue 13 bug 6 — counts are what went on the wire

    static let counts: [HostileCase] = [
        HostileCase(
            name: "cancelled look-ahead requests are counted once if sent, never retried; rows and footer agree with the server",
            spec: spec(client: """
                      max_concurrency: 4
                      retry: {max_attempts: 3, base_delay: 10ms, max_delay: 20ms}
                """, resources: items("          paginator: {type: offset, limit: 10, total_path: total}")),
            home: { r in
                let offset = Int(r.query["offset"] ?? "0") ?? 0
                let total = "\"total\": 95"
                switch offset {
                case 0, 10: return .json(page(offset..<(offset + 10), total))
                case 20: return .delayed(seconds: 0.3, .json(page(20..<25, total)))   // short: the guesses are wrong
                case _ where offset % 10 == 0: return .delayed(seconds: 2, .json(page(offset..<(offset + 10), total)))
                default: return .json(page(offset..<min(95, offset + 10), total))
                }
            },
            steps: [Step(check: { r in
                countsMatchServer(r) + expect(r[0].reported("retries") == 0, "retries: \(String(describing: r[0].reported("retries")))")
                    + expect(r[0].reported("rows") == 95, "rows: \(String(describing: r[0].reported("rows")))")
                    + expect(r[0].home.count > 10, "no look-ahead request was cancelled (the case proves nothing)")
            })]),
    ]
}
