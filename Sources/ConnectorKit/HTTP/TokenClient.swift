/// The OAuth 2 client credentials grant, resolved from the spec: the token request (a
/// form-encoded POST to the token URL, RFC 6749 §4.4.2) and the reading of its answer (§5.1).
struct TokenClient: Sendable {
    let url: String
    let clientID: String
    let clientSecret: String
    let scopes: [String]
    let extraFields: [(String, String)]
    let clientAuth: OAuth2ClientCredentialsSpec.ClientAuth
    /// Seconds a token lives when the answer has no `expires_in`.
    let defaultLifetime: Double

    /// An unset variable is an error naming it.
    init(_ spec: OAuth2ClientCredentialsSpec) throws(SpecError) {
        url = try spec.accessTokenURL.required("access_token_url")
        clientID = try spec.clientID.required("oauth2 client_id")
        clientSecret = try spec.clientSecret.required("oauth2 client_secret")
        scopes = spec.scopes
        var extra: [(String, String)] = []
        for (name, value) in spec.requestData { extra.append((name, try value.required("access_token_request_data"))) }
        extraFields = extra
        clientAuth = spec.clientAuth
        defaultLifetime = spec.defaultExpiration
    }

    /// Which token this client gets: resources asking for the same share one.
    var identity: String {
        [url, clientID, clientAuth.rawValue, scopes.joined(separator: " ")].joined(separator: "\n")
    }

    /// The token request. The client's id and secret go in the body or as `Authorization:
    /// Basic` (each form-encoded first, RFC 6749 §2.3.1), to the token URL only.
    var request: HTTPRequest {
        var fields = [("grant_type", "client_credentials")]
        var headers = [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")]
        switch clientAuth {
        case .body:
            fields += [("client_id", clientID), ("client_secret", clientSecret)]
        case .basic:
            let pair = SecretForms.formEncoded(clientID) + ":" + SecretForms.formEncoded(clientSecret)
            headers.append(("Authorization", "Basic " + Base64.encode(Array(pair.utf8))))
        }
        if !scopes.isEmpty { fields.append(("scope", scopes.joined(separator: " "))) }
        fields += extraFields
        let body = fields.map { SecretForms.formEncoded($0.0) + "=" + SecretForms.formEncoded($0.1) }
        return HTTPRequest(method: "POST", url: url, headers: headers, body: Array(body.joined(separator: "&").utf8))
    }

    /// The access token and its lifetime in seconds. A refusal names the status and what the
    /// server said; an answer without a token names the fields it had (never their values).
    func read(
        _ response: HTTPResponse, _ request: HTTPRequest,
        context: RequestContext
    ) throws(ExtractError) -> (token: String, lifetime: Double) {
        guard (200..<300).contains(response.status) else {
            let what =
                [400, 401, 403].contains(response.status)
                ? "the token endpoint refused the client credentials (check client_id, client_secret, scopes)"
                : "the access token request failed"
            throw context.failure(
                .status(response.status), request, attempts: response.attempts,
                message: what + ": " + context.redactor.redact(SourceClient.snippet(response.body)))
        }
        let parser = JSONParser()
        guard let root = try? parser.parse(response.body), root.kind == .object else {
            throw context.failure(
                .invalidResponse, request, attempts: response.attempts,
                message: "the token endpoint did not answer a JSON object")
        }
        guard let token = root["access_token"], token.kind == .string, !token.string.isEmpty else {
            let fields = root.members.map { String(decoding: $0.key, as: UTF8.self) }
            throw context.failure(
                .invalidResponse, request, attempts: response.attempts,
                message: "the token answer has no 'access_token' (fields: \(fields.joined(separator: ", ")))")
        }
        let seconds = root["expires_in"]?.scalarText.flatMap(Double.init) ?? 0
        return (token.string, seconds > 0 ? seconds : defaultLifetime)
    }
}
