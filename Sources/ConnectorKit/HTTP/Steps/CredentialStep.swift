/// The request as it goes out: the source's headers, then credentials at home only (see
/// `CredentialScope`); a header that cannot be sent is a configuration error, never retried.
/// Authenticating may wait and fail (a token to fetch), so it is `async throws`. When the home
/// origin answers 401 and the authenticator can get new credentials (a token that expired
/// early or was revoked), the request is authorized again and sent once more.
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
        let outgoing = try await prepared(request, context: context)
        let response = try await next(outgoing, context)
        guard response.status == 401, scope.isHome(outgoing.url), await context.auth.rejected(outgoing) else {
            return response
        }
        return try await next(try await prepared(request, context: context), context)
    }

    private func prepared(_ request: HTTPRequest, context: RequestContext) async throws(ExtractError) -> HTTPRequest {
        var outgoing = request
        for header in headers where !outgoing.headers.contains(where: { HeaderName.same($0.0, header.0) }) {
            outgoing.headers.append(header)
        }
        try await scope.scope(&outgoing, context: context)
        if let invalid = HeaderCheck.firstInvalid(outgoing.headers) {
            throw context.failure(
                .configuration, request, attempts: 0,
                message: "header '\(invalid.name)' cannot be sent: \(invalid.reason)")
        }
        return outgoing
    }
}
