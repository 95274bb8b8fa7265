import OpenAPIKit

/// `auth:` from `securitySchemes` and the security requirement most GET operations use; secrets as
/// `${NAME_…}` variables.
struct AuthInference {
    let document: OpenAPI.Document
    let prefix: String

    struct Result {
        var auth: AuthDraft?
        var variables: [(name: String, meaning: String)] = []
        var notes: [String] = []
        /// Parameters the auth already sends (an `apikey` header repeated on every operation).
        var sentNames: Set<String> = []
    }

    /// The requirement (schemes used together) that the most GET operations name, else the document's.
    func requirement() -> [String] {
        var counts: [[String]: Int] = [:]
        for item in document.paths.values.compactMap(\.b) {
            guard let get = item.get else { continue }
            let requirements = get.security ?? document.security
            if let first = requirements.first { counts[schemeNames(first), default: 0] += 1 }
        }
        if let best = counts.max(by: { ($0.value, $1.key.joined()) < ($1.value, $0.key.joined()) }) { return best.key }
        return document.security.first.map(schemeNames) ?? []
    }

    func schemeNames(_ requirement: OpenAPI.SecurityRequirement) -> [String] {
        requirement.keys.compactMap { reference -> String? in
            reference.absoluteString.split(separator: "/").last.map(String.init)
        }.sorted()
    }

    func infer() -> Result {
        var result = Result()
        let names = requirement()
        guard !names.isEmpty else {
            if !document.components.securitySchemes.isEmpty {
                result.notes.append("securitySchemes are declared but no operation requires one: no auth drafted")
            }
            return result
        }
        var headers: [(String, String)] = [], query: [(String, String)] = []
        for name in names {
            guard let key = OpenAPI.ComponentKey(rawValue: name),
                let scheme = document.components.securitySchemes[key]?.b
            else {
                result.notes.append("security scheme `\(name)` is not in components.securitySchemes: left out")
                continue
            }
            let variable = "\(prefix)_\(NameStyle.variable(name))"
            switch scheme.type {
            case .apiKey(let header, let location):
                result.sentNames.insert(header.lowercased())
                switch location {
                case .header: headers.append((header, "${\(variable)}"))
                case .query: query.append((header, "${\(variable)}"))
                case .cookie:
                    result.notes.append("`\(name)` sends its key in a cookie, which connector does not: set it by hand")
                    continue
                }
                result.variables.append((variable, "API key `\(name)` (\(header))"))
            case .http(let httpScheme, _) where httpScheme.lowercased() == "bearer":
                return bearer(result, names: names, token: variable, why: "`\(name)`: HTTP bearer")
            case .http(let httpScheme, _) where httpScheme.lowercased() == "basic":
                result.auth = AuthDraft(
                    type: "http_basic",
                    fields: [("username", "${\(prefix)_USERNAME}"), ("password", "${\(prefix)_PASSWORD}")],
                    why: Guess(name, .high, "`\(name)`: HTTP basic"))
                result.variables += [("\(prefix)_USERNAME", "user name"), ("\(prefix)_PASSWORD", "password")]
                return result
            case .oauth2(let flows, _):
                if let flow = flows.clientCredentials {
                    return clientCredentials(result, scheme: name, tokenURL: flow.tokenUrl.absoluteString,
                                             scopes: flow.scopes.keys.sorted())
                }
                let token = "no client-credentials flow"
                result.notes.append(
                    "`\(name)` is OAuth2 (\(token)): connector sends a bearer token; fetch one with the client "
                        + "credentials and set \(prefix)_ACCESS_TOKEN")
                return bearer(result, names: names, token: "\(prefix)_ACCESS_TOKEN", why: "`\(name)`: OAuth2", .low)
            default:
                result.notes.append("security scheme `\(name)` (\(scheme.type)) is not supported: set auth by hand")
            }
        }
        if headers.isEmpty && query.isEmpty { return result }
        let together = names.count > 1 ? "sent together, as every GET requires" : "the API key"
        let why = Guess(names.joined(separator: " + "), .high, "securitySchemes \(names.joined(separator: ", ")): \(together)")
        if headers.count + query.count == 1 {
            let (header, value) = headers.first ?? query[0]
            let location = headers.isEmpty ? "query" : "header"
            result.auth = AuthDraft(
                type: "api_key", fields: [("location", location), ("name", header), ("api_key", value)], why: why)
        } else {
            result.auth = AuthDraft(type: "api_key", fields: [], headers: headers, query: query, why: why)
        }
        return result
    }

    /// OAuth2 client credentials: the engine fetches and refreshes the token itself.
    private func clientCredentials(_ partial: Result, scheme: String, tokenURL: String, scopes: [String]) -> Result {
        var result = partial
        var fields = [
            ("access_token_url", tokenURL), ("client_id", "${\(prefix)_CLIENT_ID}"),
            ("client_secret", "${\(prefix)_CLIENT_SECRET}"),
        ]
        if !scopes.isEmpty { fields.append(("scopes", scopes.joined(separator: " "))) }
        result.auth = AuthDraft(
            type: "oauth2_client_credentials", fields: fields,
            why: Guess(scheme, .high, "`\(scheme)`: OAuth2 client credentials flow"))
        result.variables += [("\(prefix)_CLIENT_ID", "OAuth2 client id"), ("\(prefix)_CLIENT_SECRET", "OAuth2 client secret")]
        return result
    }

    private func bearer(
        _ partial: Result, names: [String], token: String, why: String, _ confidence: Confidence = .high
    ) -> Result {
        var result = partial
        result.auth = AuthDraft(
            type: "bearer", fields: [("token", "${\(token)}")], why: Guess(names.joined(), confidence, why))
        result.variables.append((token, "bearer token"))
        if names.count > 1 { result.notes.append("only the bearer scheme of \(names.joined(separator: " + ")) is sent") }
        return result
    }
}
