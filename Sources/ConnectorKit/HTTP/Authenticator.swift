/// Adds credentials to a request that is going to the configured origin. It may wait and fail
/// (a token fetched or refreshed first); a failure is an `ExtractError` naming what to check.
public protocol Authenticator: Sendable {
    func authorize(_ request: inout HTTPRequest, context: RequestContext) async throws(ExtractError)
    /// The API answered 401 to `request`: true when new credentials may succeed where these
    /// failed (a token to fetch again), so the request is sent once more. False by default.
    func rejected(_ request: HTTPRequest) async -> Bool
}

extension Authenticator {
    public func rejected(_ request: HTTPRequest) async -> Bool { false }
}

/// No credentials.
public struct NoAuth: Authenticator {
    public init() {}
    public func authorize(_ request: inout HTTPRequest, context: RequestContext) {}
}

/// One or more named values in headers or query parameters (`apikey`, `partnerkey`,
/// `X-Api-Key` + `X-Api-Password`, `?api_key=`).
public struct APIKeyAuth: Authenticator {
    public let headers: [(String, String)]
    public let query: [(String, String)]

    public init(headers: [(String, String)], query: [(String, String)]) {
        self.headers = headers
        self.query = query
    }

    public func authorize(_ request: inout HTTPRequest, context: RequestContext) {
        for (name, value) in headers {
            request.headers.removeAll { HeaderName.same($0.0, name) }
            request.headers.append((name, value))
        }
        if !query.isEmpty { request.url = URLText.settingQuery(request.url, query) }
    }
}

/// `Authorization: Bearer <token>`.
public struct BearerAuth: Authenticator {
    public let token: String
    public init(token: String) { self.token = token }
    public func authorize(_ request: inout HTTPRequest, context: RequestContext) {
        request.headers.removeAll { HeaderName.same($0.0, "Authorization") }
        request.headers.append(("Authorization", "Bearer \(token)"))
    }
}

/// `Authorization: Basic base64(user:password)`.
public struct BasicAuth: Authenticator {
    public let username: String
    public let password: String
    public init(username: String, password: String) { self.username = username; self.password = password }
    public func authorize(_ request: inout HTTPRequest, context: RequestContext) {
        request.headers.removeAll { HeaderName.same($0.0, "Authorization") }
        request.headers.append(("Authorization", "Basic " + Base64.encode(Array("\(username):\(password)".utf8))))
    }
}

enum Base64 {
    static func encode(_ bytes: [UInt8]) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".unicodeScalars)
        var out = String.UnicodeScalarView()
        var i = 0
        while i < bytes.count {
            let b0 = bytes[i], b1 = i + 1 < bytes.count ? bytes[i + 1] : 0, b2 = i + 2 < bytes.count ? bytes[i + 2] : 0
            out.append(table[Int(b0 >> 2)])
            out.append(table[Int((b0 & 3) << 4 | b1 >> 4)])
            out.append(i + 1 < bytes.count ? table[Int((b1 & 15) << 2 | b2 >> 6)] : "=")
            out.append(i + 2 < bytes.count ? table[Int(b2 & 63)] : "=")
            i += 3
        }
        return String(out)
    }
}

extension AuthSpec {
    /// Builds the authenticator; an unset variable is an error naming it. A token-based one is
    /// `client`'s, shared by every resource of the source so they share one token.
    public func makeAuthenticator(client: SourceClient) throws(SpecError) -> any Authenticator {
        switch self {
        case .apiKey(let credentials):
            var headers: [(String, String)] = [], query: [(String, String)] = []
            for c in credentials {
                let v = try c.value.required("auth '\(c.name)'")
                if c.location == .header { headers.append((c.name, v)) } else { query.append((c.name, v)) }
            }
            return APIKeyAuth(headers: headers, query: query)
        case .bearer(let t): return BearerAuth(token: try t.required("bearer token"))
        case .httpBasic(let u, let p):
            return BasicAuth(
                username: try u.required("http_basic username"), password: try p.required("http_basic password"))
        case .oauth2ClientCredentials(let spec): return try client.tokenAuthenticator(spec)
        }
    }
}
