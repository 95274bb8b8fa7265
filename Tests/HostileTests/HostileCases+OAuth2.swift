import Foundation

/// Rows for `oauth2_client_credentials`: the client secret and the access token fetched at run
/// time appear in no output, no file of the project (database, checkpoints) and no request to
/// another origin; a refused token request fails the run naming the token URL and the status.
extension HostileCases {
    static let oauthSecret = "oauth-client-secret-5150", oauthToken = "runtime-access-token-8086"

    /// The API and its token endpoint on the configured origin; the secret from the secrets file.
    static let oauthSpec = spec(
        client: """
                  auth:
                    type: oauth2_client_credentials
                    access_token_url: "{home}/oauth/token"
                    client_id: connector-test
                    client_secret: "${T_OAUTH_SECRET}"
                    scopes: [read]
            """,
        resources: items("          paginator: {type: json_link, next_url_path: next}"))

    /// The token endpoint (POST /oauth/token, answering `tokenStatus`), then an API that wants the
    /// token and links its second page to another origin.
    static func oauthHome(tokenStatus: Int) -> Script {
        { r in
            if r.path == "/oauth/token" {
                guard tokenStatus == 200 else { return .json(#"{"error":"invalid_client"}"#, status: tokenStatus) }
                return .json(#"{"access_token":"\#(oauthToken)","token_type":"bearer","expires_in":3600}"#)
            }
            guard r.headers["authorization"] == "Bearer \(oauthToken)" else { return .json("{}", status: 401) }
            return .json(page([1, 2], "\"next\": \"{other}/items?page=2\""))
        }
    }

    /// Token `n` of a run of tokens (each fetch gets the next).
    static func oauthToken(_ n: Int) -> String { "\(oauthToken)-\(n)" }

    /// A token endpoint issuing a new token per request, and ten slow-ending pages that want
    /// the latest token, linked with `page=`.
    static let oauthPages: Script = { r in
        if r.path == "/oauth/token" {
            return .json(#"{"access_token":"\#(oauthToken(r.number))","expires_in":3600}"#)
        }
        guard r.headers["authorization"]?.hasPrefix("Bearer \(oauthToken)-") == true else {
            return .json("{}", status: 401)
        }
        let n = Int(r.query["page"] ?? "1") ?? 1
        let next = n < 10 ? "\"{home}/items?page=\(n + 1)\"" : "null"
        return .delayed(seconds: n > 7 ? 1.5 : 0.25, .json(page((n * 10)..<(n * 10 + 3), "\"next\": \(next)")))
    }

    static let oauth2: [HostileCase] = [
        HostileCase(
            name: "an OAuth 2 token fetched at run time stays home and out of every output and file",
            spec: oauthSpec, secretsFile: "T_OAUTH_SECRET: \(oauthSecret)\n",
            home: oauthHome(tokenStatus: 200),
            other: { r in .json(page([3], "\"next\": null")) },
            secrets: [oauthSecret, oauthToken],
            steps: [
                Step(check: { r in
                    let paths = r[0].home.map { "\($0.method) \($0.path)" }
                    return expect(paths == ["POST /oauth/token", "GET /items"], "home saw \(paths)")
                        + expect(r[0].other.count == 1, "the other origin saw \(r[0].other.count) requests")
                        + expect(r[0].reported("rows") == 3, "rows: \(String(describing: r[0].reported("rows")))")
                })
            ]),
        HostileCase(
            name: "a refused token request fails the run naming the token URL and the status, not the secret",
            spec: oauthSpec, secretsFile: "T_OAUTH_SECRET: \(oauthSecret)\n",
            home: oauthHome(tokenStatus: 401),
            secrets: [oauthSecret],
            steps: [
                Step(
                    exitCode: 1,
                    outputContains: ["POST http://127.0.0.1", "/oauth/token", "HTTP 401", "invalid_client"],
                    check: { r in
                        expect(!r[0].home.contains { $0.path == "/items" }, "the API was asked without a token")
                    })
            ]),
        HostileCase(
            name: "a run killed mid-pagination with an OAuth 2 token stages no token; the resume fetches a new one",
            spec: oauthSpec, secretsFile: "T_OAUTH_SECRET: \(oauthSecret)\n", home: oauthPages,
            secrets: [oauthSecret] + (1...40).map(oauthToken),
            steps: [
                Step(
                    exitCode: nil, killWhen: { $0.contains { $0.query["page"] == "7" } },
                    check: { r in
                        let path = r[0].projectDirectory + "/data/p.sqlite.staging"
                        let staging = String(
                            decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
                        return expect(staging.contains("page="), "no checkpoint was staged before the kill")
                    }),
                Step(
                    outputContains: ["resumed the interrupted load"],
                    check: { r in
                        let again = r[1].home.dropFirst(r[0].home.count)
                        return expect(again.first?.path == "/oauth/token", "the resume did not fetch a new token first")
                            + expect(again.dropFirst().first?.query["page"] != nil, "the resume started over")
                            + expect(r[1].reported("rows") == 30, "rows: \(String(describing: r[1].reported("rows")))")
                    }),
            ],
            budget: Budget(seconds: 20)),
    ]
}
