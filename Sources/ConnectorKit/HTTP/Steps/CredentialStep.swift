/// The request as it goes out: the source's headers, then credentials at home only (see
/// `CredentialScope`); a header that cannot be sent is a configuration error, never retried.
/// Authenticating may wait and fail (a token to fetch), so it is `async throws`.
public struct CredentialStep: HTTPStep {
    let scope: CredentialScope
    let headers: [(String, String)]

    public init(origin: String?, headers: [(String, String)], redactor: Redactor) {
        self.scope = CredentialScope(origin: origin, redactor: redactor)
        self.headers = headers
    }

    public func handle(
        _ request: HTTPRequest, context: RequestContext,
        next: HTTPNext
    ) async throws(ExtractError) -> HTTPResponse {
        var outgoing = request
        for header in headers where !outgoing.headers.contains(where: { $0.0.lowercased() == header.0.lowercased() }) {
            outgoing.headers.append(header)
        }
        try await scope.scope(&outgoing, auth: context.auth)
        if let invalid = HeaderCheck.firstInvalid(outgoing.headers) {
            throw context.failure(
                .configuration, request, attempts: 0,
                message: "header '\(invalid.name)' cannot be sent: \(invalid.reason)")
        }
        return try await next(outgoing, context)
    }
}
