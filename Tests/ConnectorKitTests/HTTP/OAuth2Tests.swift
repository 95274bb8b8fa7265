import APISandbox
@testable import ConnectorKit
import Foundation
import Testing

/// `auth: {type: oauth2_client_credentials}` against a loopback token endpoint and an API on
/// another origin: one token shared, refreshed before expiry on the run's clock and once after
/// a 401, the secret only at the token URL and the token only at the API.
@Suite("HTTP: OAuth 2 client credentials")
struct OAuth2Tests {
    @Test("one token for concurrent requests; the secret goes only to the token URL, the token only to the API")
    func fetchOnceAndScope() async throws {
        let f = try await OAuth2Fixture.start()
        let auth = try f.authenticator("scopes: [read, write]\naccess_token_request_data: {audience: api}")
        try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<6 { group.addTask { try await f.get("/items?n=\(i)", auth).status } }
            for try await status in group { #expect(status == 200) }
        }
        // A request to another origin (a next link elsewhere) gets no token.
        _ = try await f.client.send(HTTPRequest(url: f.tokenServer.baseURL + "/elsewhere"), auth: auth, resource: "r")
        await f.shutdown()
        let tokenCalls = f.tokenRequests.requests
        #expect(tokenCalls.count == 2, "one token request, then the request sent elsewhere")
        let form = OAuth2Fixture.form(tokenCalls[0])
        #expect(tokenCalls[0].method == "POST" && tokenCalls[0].path == "/oauth/token")
        #expect(tokenCalls[0].headers["content-type"] == "application/x-www-form-urlencoded")
        #expect(form["grant_type"] == "client_credentials" && form["client_id"] == OAuth2Fixture.clientID)
        #expect(form["client_secret"] == OAuth2Fixture.clientSecret)
        #expect(form["scope"] == "read write" && form["audience"] == "api")
        #expect(tokenCalls[1].path == "/elsewhere" && tokenCalls[1].headers["authorization"] == nil)
        let api = f.apiRequests.requests
        #expect(api.count == 6 && api.allSatisfy { $0.headers["authorization"] == "Bearer tok-1-a1b2c3" })
        #expect(
            api.allSatisfy {
                !("\($0.headers)\($0.rawQuery)" + String(decoding: $0.body, as: UTF8.self)).contains("s3cret")
            })
        #expect(f.client.stats.of("items").requests == 7, "the token request is counted with the requests it served")
    }

    @Test("client_auth: basic sends id and secret as Authorization: Basic, not in the form")
    func basicClientAuth() async throws {
        let f = try await OAuth2Fixture.start()
        _ = try await f.get("/items", try f.authenticator("client_auth: basic"))
        await f.shutdown()
        let call = try #require(f.tokenRequests.requests.first)
        let pair = "\(OAuth2Fixture.clientID):\(OAuth2Fixture.clientSecret)"
        #expect(call.headers["authorization"] == "Basic " + Data(pair.utf8).base64EncodedString())
        #expect(OAuth2Fixture.form(call)["client_secret"] == nil && OAuth2Fixture.form(call)["client_id"] == nil)
    }

    @Test(
        "a token is used until a tenth of its lifetime (at most a minute) is left, then fetched again",
        arguments: [
            // (expires_in, seconds later still the first token, seconds later a new one)
            (3600, 3539.0, 3541.0), (100, 89.0, 91.0), (1, 0.85, 0.95),
        ] as [(Int, Double, Double)])
    func refreshBeforeExpiry(_ expiresIn: Int, _ stillFresh: Double, _ refreshed: Double) async throws {
        let f = try await OAuth2Fixture.start(expiresIn: expiresIn)
        let auth = try f.authenticator()
        _ = try await f.get("/a", auth)
        try await f.clock.sleep(seconds: stillFresh)
        _ = try await f.get("/b", auth)
        try await f.clock.sleep(seconds: refreshed - stillFresh)
        _ = try await f.get("/c", auth)
        await f.shutdown()
        #expect(f.tokenRequests.requests.count == 2)
        #expect(
            f.apiRequests.requests.map { $0.headers["authorization"] ?? "" }
                == ["Bearer tok-1-a1b2c3", "Bearer tok-1-a1b2c3", "Bearer tok-2-a1b2c3"])
    }

    @Test("without expires_in the token lives default_token_expiration")
    func defaultExpiration() async throws {
        let f = try await OAuth2Fixture.start(expiresIn: nil)
        let auth = try f.authenticator("default_token_expiration: 20s")
        _ = try await f.get("/a", auth)
        try await f.clock.sleep(seconds: 17.9)
        _ = try await f.get("/b", auth)
        try await f.clock.sleep(seconds: 0.2)
        _ = try await f.get("/c", auth)
        await f.shutdown()
        #expect(f.tokenRequests.requests.count == 2, "refreshed at 18 s: 20 s less a tenth")
    }

    @Test("a 401 makes one new token and one resend; a second 401 is final")
    func refreshOn401() async throws {
        let f = try await OAuth2Fixture.start()
        let auth = try f.authenticator()
        _ = try await f.get("/a", auth)
        f.revoked.withLock { _ = $0.insert("tok-1-a1b2c3") }
        let recovered = try await f.get("/b", auth)
        #expect(recovered.status == 200)
        #expect(
            f.apiRequests.requests.suffix(2).map { $0.headers["authorization"] ?? "" }
                == ["Bearer tok-1-a1b2c3", "Bearer tok-2-a1b2c3"])
        f.revoked.withLock { $0.formUnion(["tok-2-a1b2c3", "tok-3-a1b2c3", "tok-4-a1b2c3"]) }
        let refused = try await f.get("/c", auth)
        await f.shutdown()
        #expect(refused.status == 401, "the caller judges the second 401")
        #expect(f.apiRequests.requests.count == 5, "a, b twice, c twice")
        #expect(f.tokenRequests.requests.count == 3)
    }

    @Test("concurrent requests refused with the same stale token make one new token between them")
    func concurrent401() async throws {
        let f = try await OAuth2Fixture.start()
        let auth = try f.authenticator()
        _ = try await f.get("/a", auth)
        f.revoked.withLock { _ = $0.insert("tok-1-a1b2c3") }
        try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<5 { group.addTask { try await f.get("/b?n=\(i)", auth).status } }
            for try await status in group { #expect(status == 200) }
        }
        await f.shutdown()
        #expect(f.tokenRequests.requests.count == 2, "the first token, then one more for all five")
    }

    @Test("a refused token request names the token URL, the status and the server's words, never the secret")
    func badSecret() async throws {
        let f = try await OAuth2Fixture.start(tokenStatus: 401)
        let auth = try f.authenticator()
        let error = await #expect(throws: ExtractError.self) { _ = try await f.get("/items", auth) }
        await f.shutdown()
        let text = String(describing: try #require(error))
        #expect(error?.status == 401 && error?.method == "POST")
        #expect(error?.url == f.tokenServer.baseURL + "/oauth/token")
        #expect(text.contains("token endpoint refused the client credentials") && text.contains("invalid_client"))
        #expect(!text.contains("s3cret"), "\(text)")
        #expect(f.apiRequests.requests.isEmpty, "no request goes to the API without a token")
        #expect(f.tokenRequests.requests.count == 1, "a 401 from the token endpoint is not retried")
    }

    @Test("a token endpoint that is briefly unavailable is retried like any request")
    func tokenRetried() async throws {
        let f = try await OAuth2Fixture.start(failFirst: 1)
        let response = try await f.get("/items", try f.authenticator())
        await f.shutdown()
        #expect(response.status == 200)
        #expect(f.tokenRequests.requests.count == 2)
        #expect(f.client.stats.of("items").retries == 1 && f.client.stats.of("items").requests == 3)
    }

    @Test("a token request that failed for good does not stick: the next request asks again")
    func failedFetchForgotten() async throws {
        let f = try await OAuth2Fixture.start(failFirst: 2)
        let auth = try f.authenticator()
        await #expect(throws: ExtractError.self) { _ = try await f.get("/a", auth) }
        let later = try await f.get("/b", auth)
        await f.shutdown()
        #expect(later.status == 200)
        #expect(f.tokenRequests.requests.count == 3, "two attempts (503, 503), then a new request")
        #expect(f.apiRequests.requests.map(\.path) == ["/b"])
    }

    @Test("the token is redacted from every message once it arrives")
    func tokenRedacted() async throws {
        let f = try await OAuth2Fixture.start()
        _ = try await f.get("/a", try f.authenticator())
        await f.shutdown()
        let copy = f.client.redactor
        #expect(copy.redact("sent Bearer tok-1-a1b2c3 and dG9rLTEtYTFiMmMz") == "sent Bearer *** and ***")
        #expect(copy.carriesSecret("x tok-1-a1b2c3"))
    }
}
