/// OAuth 2.0 client credentials (RFC 6749 §4.4), as dlt's `OAuth2ClientCredentials` names it: the
/// run asks `access_token_url` for a token with the client's id and secret, sends it as
/// `Authorization: Bearer` to the configured origin, and asks again shortly before it expires or
/// once when the API answers 401. The secret goes only to the token URL; the token only to the API.
public struct OAuth2ClientCredentialsSpec: Sendable {
    /// Where the client's id and secret go in the token request: form fields (`body`, dlt's
    /// default) or `Authorization: Basic` (`basic`, which RFC 6749 says servers must support).
    public enum ClientAuth: String, Sendable, CaseIterable { case body, basic }

    public var accessTokenURL: ConfigString
    public var clientID: ConfigString
    public var clientSecret: ConfigString
    /// Sent as one space-separated `scope` field; none when empty.
    public var scopes: [String]
    /// More form fields for the token request (`audience`, `resource`).
    public var requestData: [(String, ConfigString)]
    public var clientAuth: ClientAuth
    /// Seconds a token lives when the token response has no `expires_in` (some token endpoints send none).
    public var defaultExpiration: Double

    /// The keys after `type: oauth2_client_credentials`.
    static let keys = [
        "access_token_url", "client_id", "client_secret", "scopes", "access_token_request_data", "client_auth",
        "default_token_expiration",
    ]

    /// Reads the keys of an `oauth2_client_credentials` auth (its `type` already read).
    static func read(_ r: inout MappingReader) throws(SpecError) -> OAuth2ClientCredentialsSpec {
        let url = try r.requiredString("access_token_url")
        guard url.value.hasPrefix("https://") || url.value.hasPrefix("http://") || !url.isSet else {
            throw SpecError(
                "access_token_url must be an absolute http(s) URL, found '\(url.value)'", at: url.location)
        }
        var data: [(String, ConfigString)] = []
        if let extra = try r.mapping("access_token_request_data") {
            for e in extra.entries {
                data.append((e.key, try extra.string(e.value, "access_token_request_data '\(e.key)'")))
            }
        }
        return OAuth2ClientCredentialsSpec(
            accessTokenURL: url, clientID: try r.requiredString("client_id"),
            clientSecret: try r.requiredString("client_secret"),
            scopes: (try r.stringList("scopes") ?? []).map(\.value), requestData: data,
            clientAuth: try r.choice("client_auth", ClientAuth.self) ?? .body,
            defaultExpiration: try r.duration("default_token_expiration") ?? 3600)
    }

    /// Every configured value (for unset variables).
    var configuredValues: [ConfigString] {
        [accessTokenURL, clientID, clientSecret] + requestData.map(\.1)
    }

    /// The values that are secret: the client secret and request data taken from variables
    /// (the token URL and the client id are not, so messages can name them).
    var secretValues: [ConfigString] {
        [clientSecret] + requestData.map(\.1).filter(\.fromEnvironment)
    }
}
