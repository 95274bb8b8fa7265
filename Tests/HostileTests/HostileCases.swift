import Foundation

/// The table. Each row: a spec, how the servers behave, the commands, what must hold. Add a
/// case by adding a row (the helpers below write the usual project around one resource).
enum HostileCases {
    static var all: [HostileCase] {
        stalls + credentialsStayHome + redaction + checkpoints + counts + hostileSpecs + hostileValues + shortLoads + oauth2
            + commandLine
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
        "{\"items\": [" + ids.map { "{\"id\": \($0)}" }.joined(separator: ", ") + "]"
            + (extra.isEmpty ? "" : ", " + extra) + "}"
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
        return expect(
            requests == r.home.count + r.other.count,
            "report says \(requests) requests, the servers saw \(r.home.count + r.other.count)")
            + expect(
                rowRequests == requests && rowRetries == retries,
                "rows say \(rowRequests) requests (\(rowRetries) retried), the footer \(requests) (\(retries))")
    }

    // MARK: item 2 — every read has a deadline

    static let stalls: [HostileCase] = [
        HostileCase(
            name: "a body that stalls after its first bytes fails (timeout: 1s), retried, naming resource and attempts",
            spec: spec(
                client: """
                          timeout: 1s
                          retry: {max_attempts: 2, base_delay: 10ms, max_delay: 20ms}
                    """, resources: items("          paginator: {type: single_page}")),
            home: { _ in .stall(prefix: "{\"items\": [") },
            steps: [
                Step(
                    exitCode: 1, outputContains: ["resource 'items'", "/items", "after 2 attempts"],
                    check: { r in
                        expect(r[0].home.count == 2, "the server saw \(r[0].home.count) requests, expected 2")
                            + expect(
                                r[0].output.contains("1 s (timeout)") || r[0].output.contains("1 s (idle_timeout)"),
                                "the error does not name the deadline")
                    })
            ],
            budget: Budget(seconds: 15)),
        HostileCase(
            name: "a server that trickles past the whole-response deadline fails at the timeout",
            spec: spec(
                client: """
                          timeout: 400ms
                          idle_timeout: 10s
                          retry: {max_attempts: 1}
                    """, resources: items("          paginator: {type: single_page}")),
            home: { _ in .stall(prefix: "{\"items\": [") },
            steps: [
                Step(
                    exitCode: 1,
                    outputContains: ["resource 'items'", "after 1 attempt", "longer than 400 ms (timeout)"])
            ],
            budget: Budget(seconds: 15)),
        HostileCase(
            name: "a stall once, then a healthy answer: the retry loads everything",
            spec: spec(
                client: """
                          timeout: 500ms
                          retry: {max_attempts: 3, base_delay: 10ms, max_delay: 20ms}
                    """, resources: items("          paginator: {type: single_page}")),
            home: { r in r.pathCount == 1 ? .stall(prefix: "{\"items\": [") : .json(page([1, 2])) },
            steps: [
                Step(check: { r in
                    expect(r[0].reported("rows") == 2, "rows: \(String(describing: r[0].reported("rows")))")
                        + expect(
                            r[0].reported("retries") == 1, "retries: \(String(describing: r[0].reported("retries")))")
                        + countsMatchServer(r)
                })
            ],
            budget: Budget(seconds: 15)),
    ]

    // MARK: item 3 — secrets stay on their origin

    static let custom = "custom-header-secret-0815", endpointSecret = "endpoint-header-secret-77",
        paramSecret = "param-secret-4711", queryKey = "query-key-secret-9999"

    /// A client with a secret header, an auth query key, and an endpoint with a secret header
    /// and a parameter from the secrets file.
    static func secretClient(_ paginator: String) -> String {
        spec(
            client: """
                      headers: {X-Custom-Secret: "${T_CUSTOM}"}
                      auth: {type: api_key, location: query, name: api_key, api_key: "${T_KEY}"}
                """,
            resources: items(
                """
                          headers: {X-Endpoint-Secret: "${T_ENDPOINT}"}
                          params: {token_extra: "${T_PARAM}", plain: visible}
                          paginator: \(paginator)
                """))
    }

    static let secretEnv = ["T_CUSTOM": custom, "T_ENDPOINT": endpointSecret, "T_KEY": queryKey]
    static let secretFile = "T_PARAM: \(paramSecret)\n"

    /// Home got every secret (so the other origin's lack of them means something).
    static func homeGotSecrets(_ r: [StepResult]) -> [String] {
        guard let first = r[0].home.first else { return ["the configured server saw no request"] }
        return expect(
            first.headers["x-custom-secret"] == custom && first.headers["x-endpoint-secret"] == endpointSecret
                && first.query["token_extra"] == paramSecret && first.query["api_key"] == queryKey,
            "the configured origin did not get the secrets: \(first.headers) \(first.query)")
            + expect(r[0].other.count >= 1, "the other origin saw no request")
            + expect(r[0].reported("rows") == 2, "rows: \(String(describing: r[0].reported("rows")))")
    }

    static let credentialsStayHome: [HostileCase] = [
        HostileCase(
            name: "a 302 to another origin carries no secret header, auth key or secret parameter",
            spec: secretClient("{type: single_page}"), env: secretEnv, secretsFile: secretFile,
            home: { r in .redirect("{other}/landing?" + r.rawQuery) },
            other: { _ in .json(page([1, 2])) },
            secrets: [custom, endpointSecret, paramSecret, queryKey],
            steps: [
                Step(check: { r in
                    homeGotSecrets(r)
                        + expect(
                            r[0].other.first?.query["plain"] == "visible", "the other origin lost the plain parameter")
                })
            ]),
        HostileCase(
            name: "a json_link next page on another origin carries no secret",
            spec: secretClient("{type: json_link, next_url_path: next}"), env: secretEnv, secretsFile: secretFile,
            home: { _ in .json(page([1], "\"next\": \"{other}/more?page=2\"")) },
            other: { _ in .json(page([2], "\"next\": null")) },
            secrets: [custom, endpointSecret, paramSecret, queryKey],
            steps: [Step(check: homeGotSecrets)]),
        HostileCase(
            name: "a header_link next page on another origin carries no secret, even when the link echoes one",
            spec: secretClient("{type: header_link}"), env: secretEnv, secretsFile: secretFile,
            home: { r in .json(page([1]), headers: [("Link", "<{other}/more?" + r.rawQuery + ">; rel=\"next\"")]) },
            other: { _ in .json(page([2])) },
            secrets: [custom, endpointSecret, paramSecret, queryKey],
            steps: [Step(check: homeGotSecrets)]),
    ]

    // MARK: item 4 — every form of a secret is redacted; a header that cannot be sent is configuration

    static let spaced = "open \"sesame\" 42/x+y", basicUser = "svc-user", basicPassword = "pa ss:word 7"

    /// An error text that repeats `value` in every form it can take.
    static func echoForms(_ value: String) -> String {
        "bad key: " + SecretEncodings.forms(of: value).map { "\($0.name)=\($0.text)" }.joined(separator: " | ")
    }

    static let redaction: [HostileCase] = [
        HostileCase(
            name: "a key with a trailing newline is a named configuration error, never sent, never printed",
            spec: spec(
                client: """
                          auth: {type: api_key, location: header, name: X-Api-Key, api_key: "${T_KEY}"}
                    """, resources: items("          paginator: {type: single_page}")),
            secretsFile: "T_KEY: \"HDRSECRET111\\n\"\n",
            home: { _ in .json(page([1])) },
            secrets: ["HDRSECRET111\n"],
            steps: [
                Step(
                    exitCode: 1,
                    outputContains: ["resource 'items'", "header 'X-Api-Key' cannot be sent", "line break"],
                    check: { r in expect(r[0].home.isEmpty, "sent \(r[0].home.count) request(s) with an invalid header")
                    })
            ]),
        HostileCase(
            name:
                "an error body that echoes the key raw, escaped, percent-, form- and base64-encoded shows none of them",
            spec: spec(
                client: """
                          auth: {type: api_key, location: query, name: key, api_key: "${T_KEY}"}
                    """, resources: items("          paginator: {type: single_page}")),
            env: ["T_KEY": spaced],
            home: { r in .answer(status: 400, headers: [], body: echoForms(r.query["key"] ?? "")) },
            secrets: [spaced],
            steps: [Step(exitCode: 1, outputContains: ["resource 'items'", "HTTP 400", "bad key"])]),
        HostileCase(
            name: "basic auth echoed back (user:password in base64 and in clear) is redacted",
            spec: spec(
                client: """
                          auth: {type: http_basic, username: "${T_USER}", password: "${T_PASSWORD}"}
                    """, resources: items("          paginator: {type: single_page}")),
            env: ["T_USER": basicUser, "T_PASSWORD": basicPassword],
            home: { r in
                let auth = r.headers["authorization"] ?? ""
                let decoded =
                    Data(base64Encoded: String(auth.dropFirst(6))).map { String(decoding: $0, as: UTF8.self) } ?? ""
                return .json("{\"error\": \"denied\", \"got\": \"\(auth)\", \"as\": \"\(decoded)\"}", status: 401)
            },
            secrets: [basicUser + ":" + basicPassword, basicPassword],
            steps: [Step(exitCode: 1, outputContains: ["HTTP 401", "denied"])]),
    ]

    // MARK: item 5 — no secret in a checkpoint, by name as well as by value

    static let formKey = "my secret key 42"

    static let checkpoints: [HostileCase] = [
        HostileCase(
            name:
                "a key echoed form-encoded in next links never reaches the staged checkpoint, and the resume still works",
            spec: spec(
                client: """
                          auth: {type: api_key, location: query, name: api_key, api_key: "${T_KEY}"}
                    """, resources: items("          paginator: {type: json_link, next_url_path: next}")),
            env: ["T_KEY": formKey],
            home: { r in
                guard r.query["api_key"] == formKey else { return .json("{\"error\": \"no key\"}", status: 401) }
                let n = Int(r.query["page"] ?? "1") ?? 1
                let next = n < 10 ? "\"{home}/items?page=\(n + 1)&api_key=my+secret+key+42\"" : "null"
                // Pages after the kill point are slow, so a busy machine cannot finish the run
                // before the watcher sees page 7 asked for.
                return .delayed(seconds: n > 7 ? 1.5 : 0.25, .json(page((n * 10)..<(n * 10 + 3), "\"next\": \(next)")))
            },
            secrets: [formKey],
            steps: [
                Step(
                    exitCode: nil, killWhen: { $0.contains { $0.query["page"] == "7" } },
                    check: { r in
                        let path = r[0].projectDirectory + "/data/p.sqlite.staging"
                        let staging = FileManager.default.contents(atPath: path) ?? Data()
                        return expect(
                            String(decoding: staging, as: UTF8.self).contains("page="),
                            "no checkpoint with a next page was staged before the kill (the case proves nothing)")
                    }),
                Step(
                    outputContains: ["resumed the interrupted load"],
                    check: { r in
                        let resumedAt = r[1].home.dropFirst(r[0].home.count).first?.query["page"]
                        return expect(resumedAt != nil, "the rerun started over from page 1 instead of resuming")
                            + expect(r[1].reported("rows") == 30, "rows: \(String(describing: r[1].reported("rows")))")
                    }),
            ],
            budget: Budget(seconds: 20))
    ]

    // MARK: item 9 / issue 13 bug 6 — counts are what went on the wire

    static let counts: [HostileCase] = [
        HostileCase(
            name:
                "cancelled look-ahead requests are counted once if sent, never retried; rows and footer agree with the server",
            spec: spec(
                client: """
                          max_concurrency: 4
                          retry: {max_attempts: 3, base_delay: 10ms, max_delay: 20ms}
                    """, resources: items("          paginator: {type: offset, limit: 10, total_path: total}")),
            home: { r in
                let offset = Int(r.query["offset"] ?? "0") ?? 0
                let total = "\"total\": 95"
                switch offset {
                case 0, 10: return .json(page(offset..<(offset + 10), total))
                case 20: return .delayed(seconds: 0.3, .json(page(20..<25, total)))  // short: the guesses are wrong
                case _ where offset % 10 == 0: return .delayed(seconds: 2, .json(page(offset..<(offset + 10), total)))
                default: return .json(page(offset..<min(95, offset + 10), total))
                }
            },
            steps: [
                Step(check: { r in
                    countsMatchServer(r)
                        + expect(
                            r[0].reported("retries") == 0, "retries: \(String(describing: r[0].reported("retries")))")
                        + expect(r[0].reported("rows") == 95, "rows: \(String(describing: r[0].reported("rows")))")
                        + expect(r[0].home.count > 10, "no look-ahead request was cancelled (the case proves nothing)")
                })
            ])
    ]
}
