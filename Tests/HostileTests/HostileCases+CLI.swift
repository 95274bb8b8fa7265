import Foundation

/// Rows for what the command line shows and keeps: a refused connection fails each attempt at
/// once (the retry policy, not the HTTP library's connect loop, sets the pace), and the log
/// file holds no secret in any form.
extension HostileCases {
    static let commandLine: [HostileCase] = [
        HostileCase(
            name: "a refused connection fails each attempt at once: 4 attempts in far less than 4 connect timeouts",
            // `{other}` is not started: 127.0.0.1:9, where nothing listens.
            spec: spec(
                client: """
                          retry: {max_attempts: 4, base_delay: 10ms, max_delay: 20ms}
                    """, resources: items("          paginator: {type: single_page}")
            ).replacingOccurrences(of: "base_url: \"{home}\"", with: "base_url: \"{other}\""),
            steps: [
                Step(
                    exitCode: 1, outputContains: ["resource 'items'", "127.0.0.1:9/items", "after 4 attempts"],
                    check: { r in
                        // Before: each attempt spent the 10 s connect timeout retrying inside the
                        // HTTP library (40 s here). The bound is generous, not a speed target: on a
                        // loaded 2-core machine the debug binary alone took 16 s once, so 30 s.
                        expect(r[0].seconds < 30, "took \(r[0].seconds) s for 4 refused attempts")
                    })
            ],
            budget: Budget(seconds: 60)),
        HostileCase(
            name: "without a terminal: plain progress lines, no escape code, ten ignored 404s as one counted line",
            spec: spec(
                client: """
                          max_concurrency: 1
                    """,
                resources: items("          paginator: single_page") + "\n" + details),
            home: { r in
                r.path.hasSuffix("/items")
                    ? .json(page(1...10)) : .delayed(seconds: 0.1, .json("{}", status: 404))
            },
            steps: [
                Step(
                    arguments: ["run", "p", "--progress-interval", "0.2"],
                    outputContains: [
                        "  … p/details, ", "✓ p/details: succeeded",
                        "details: HTTP 404 ignored as declared: 10 times (e.g. id=1, ",
                    ],
                    check: { r in
                        expect(!r[0].output.contains("\u{1B}"), "an escape code in plain output")
                            + expect(
                                r[0].output.components(separatedBy: "ignored as declared").count == 2,
                                "the ignored 404s are printed more than once")
                    })
            ]),
        HostileCase(
            name: "the JSON-lines log holds requests, a retry and resource events, and no secret in any form",
            spec: secretClient("{type: single_page}"), env: secretEnv, secretsFile: secretFile,
            home: { r in
                r.pathCount == 1
                    ? .answer(status: 503, headers: [], body: echoForms(r.query["api_key"] ?? ""))
                    : .json(page([1, 2]))
            },
            // Every file of the project folder is searched for the secrets, run.log included.
            secrets: [custom, endpointSecret, paramSecret, queryKey],
            steps: [
                Step(
                    arguments: ["run", "p", "--json", "--log-file", "run.log", "--log-level", "trace"],
                    check: { r in
                        let log =
                            (try? String(contentsOfFile: r[0].projectDirectory + "/run.log", encoding: .utf8)) ?? ""
                        let lines = log.split(separator: "\n").compactMap {
                            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
                        }
                        let requests = lines.filter { $0["message"] as? String == "request" }
                        return expect(
                            lines.count == log.split(separator: "\n").count, "a log line is not a JSON object")
                            + expect(
                                requests.map { "\($0["status"] ?? "-")/\($0["attempt"] ?? "-")" } == [
                                    "503/1", "200/2",
                                ],
                                "request lines: \(requests)")
                            + expect(
                                requests.allSatisfy {
                                    $0["method"] as? String == "GET" && $0["ms"] is Int
                                        && ($0["url"] as? String ?? "").contains("/items?")
                                        && $0["pipeline"] as? String == "p" && $0["resource"] as? String == "items"
                                }, "request lines lack method, url, ms, pipeline or resource: \(requests)")
                            + expect(
                                ["resource started", "retry", "resource finished"].allSatisfy { m in
                                    lines.contains { $0["message"] as? String == m }
                                }, "resource events missing: \(log)")
                    })
            ]),
    ]

    /// A child of `items`: one request per item, whose 404 is declared as nothing to load.
    static let details = """
              - name: details
                endpoint:
                  path: details
                  params: {id: {type: resolve, resource: items, field: id}}
                  ignore_statuses: [404]
                  paginator: single_page
        """
}
