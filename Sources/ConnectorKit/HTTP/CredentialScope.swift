/// Credentials stay on their origin. A request to the configured origin gets the source's
/// auth; a request to any other origin (a redirect, a next link, a download URL elsewhere)
/// gets no auth, and every header or query parameter that carries a secret — by value, in
/// any written form, or by name for the spec's auth parameters — is removed from it.
struct CredentialScope: Sendable {
    /// `scheme://host:port` of the configured base URL.
    let origin: String?
    let redactor: Redactor

    func isHome(_ url: String) -> Bool {
        origin != nil && URLText.origin(url) == origin
    }

    /// Adds the credentials at home; elsewhere strips what would carry a secret.
    func scope(_ request: inout HTTPRequest, context: RequestContext) async throws(ExtractError) {
        if isHome(request.url) {
            try await context.auth.authorize(&request, context: context)
        } else {
            request.headers.removeAll { redactor.carriesSecret($0.1) }
            request.url = strippingSecretParameters(request.url)
        }
    }

    /// Drops a parameter that carries a secret by name or by value (raw or encoded).
    private func strippingSecretParameters(_ url: String) -> String {
        guard let q = url.utf8.firstIndex(of: UInt8(ascii: "?")) else { return url }
        let query = url[url.index(after: q)...].split(separator: "&").map { String($0) }
        let carriers = Set(
            query.filter { redactor.carriesSecret($0) || redactor.carriesSecret(URLText.decode($0)) }
                .map(URLText.parameterName))
        return URLText.removingQuery(url) { redactor.isSecretParameter($0) || carriers.contains($0) }
    }
}

/// Header names and values must be valid HTTP fields: a value with a line break (a key read
/// from a file with its trailing newline) is a configuration error, found before sending.
enum HeaderCheck {
    /// The name of the first header that cannot be sent, and why.
    static func firstInvalid(_ headers: [(String, String)]) -> (name: String, reason: String)? {
        for (name, value) in headers {
            if name.isEmpty || !name.utf8.allSatisfy(isTokenByte) {
                return (name, "its name has characters a header name cannot have")
            }
            if value.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) {
                return (
                    name,
                    "its value contains a line break or another control character"
                        + " (a trailing newline from a file?); fix the value it is configured with"
                )
            }
        }
        return nil
    }

    private static func isTokenByte(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(b)
        }
    }
}
