/// Credentials added to every request to the configured origin, and to no other.
public enum AuthSpec: Sendable {
    /// One or more named values, each in a header or a query parameter.
    case apiKey([Credential])
    case bearer(ConfigString)
    case httpBasic(username: ConfigString, password: ConfigString)
    /// A token fetched from a token URL, cached and refreshed (see `OAuth2ClientCredentialsSpec`).
    case oauth2ClientCredentials(OAuth2ClientCredentialsSpec)

    public struct Credential: Sendable {
        public enum Location: String, Sendable, CaseIterable { case header, query }
        public var location: Location
        public var name: String
        public var value: ConfigString
    }

    /// The configured values that are secret, for redaction.
    var values: [ConfigString] {
        switch self {
        case .apiKey(let c): return c.map(\.value)
        case .bearer(let t): return [t]
        case .httpBasic(let u, let p): return [u, p]
        case .oauth2ClientCredentials(let o): return o.secretValues
        }
    }

    /// Every configured value, secret or not (for unset variables).
    var configuredValues: [ConfigString] {
        if case .oauth2ClientCredentials(let o) = self { return o.configuredValues }
        return values
    }
}

extension AuthSpec {
    /// The words `auth.type` accepts.
    enum Kind: String, CaseIterable { case api_key, bearer, http_basic, oauth2_client_credentials }

    /// The key every `auth` takes; the others depend on its type (`keys(for:)`).
    static let keys = ["type"]

    /// The keys of an `auth` of one type, after `type`.
    static func keys(for kind: Kind) -> [String] {
        switch kind {
        case .api_key: return ["headers", "query", "location", "name", "api_key"]
        case .bearer: return ["token"]
        case .http_basic: return ["username", "password"]
        case .oauth2_client_credentials: return OAuth2ClientCredentialsSpec.keys
        }
    }

    /// Reads a client's or an endpoint's `auth` (a reader made with `AuthSpec.keys`).
    static func read(_ reader: MappingReader) throws(SpecError) -> AuthSpec {
        var r = reader
        guard let kind = try r.choice("type", Kind.self) else {
            throw SpecError(
                "auth needs 'type' (one of: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")))",
                at: r.location)
        }
        r.accept(keys(for: kind))
        let auth: AuthSpec
        switch kind {
        case .api_key: auth = .apiKey(try apiKeyCredentials(&r))
        case .bearer: auth = .bearer(try r.requiredString("token"))
        case .http_basic:
            auth = .httpBasic(username: try r.requiredString("username"), password: try r.requiredString("password"))
        case .oauth2_client_credentials: auth = .oauth2ClientCredentials(try OAuth2ClientCredentialsSpec.read(&r))
        }
        try r.finish()
        return auth
    }

    /// `headers` and `query` maps of names to values, and/or one `api_key` with its `name` and `location`.
    private static func apiKeyCredentials(_ r: inout MappingReader) throws(SpecError) -> [Credential] {
        var credentials: [Credential] = []
        if let headers = try r.mapping("headers") {
            for e in headers.entries {
                let value = try headers.string(e.value, "auth header '\(e.key)'")
                credentials.append(.init(location: .header, name: e.key, value: value))
            }
        }
        if let query = try r.mapping("query") {
            for e in query.entries {
                let value = try query.string(e.value, "auth query parameter '\(e.key)'")
                credentials.append(.init(location: .query, name: e.key, value: value))
            }
        }
        let location = try r.choice("location", Credential.Location.self) ?? .header
        let name = try r.string("name")
        if let key = try r.string("api_key") {
            credentials.append(.init(location: location, name: name?.value ?? "Authorization", value: key))
        }
        guard !credentials.isEmpty else {
            throw SpecError(
                "api_key auth needs 'api_key' (with 'name' and 'location'), or 'headers' / 'query' maps "
                    + "of names to values", at: r.location)
        }
        return credentials
    }
}
