/// Follows redirects by hand (at most `limit`), so that each hop goes through the credential
/// step again: credentials never follow a redirect to another origin. A 303 turns into a GET.
/// A hop does not count as an attempt: the next hop goes on with the same attempt number.
public struct RedirectStep: HTTPStep {
    let limit: Int

    public init(limit: Int = 5) { self.limit = limit }

    public func handle(
        _ request: HTTPRequest, context: RequestContext,
        next: HTTPNext
    ) async throws(ExtractError) -> HTTPResponse {
        var current = request
        var hopContext = context
        var redirects = 0
        while true {
            let response = try await next(current, hopContext)
            guard let location = response.redirectLocation else { return response }
            redirects += 1
            guard redirects <= limit else {
                throw hopContext.failure(
                    .invalidResponse, current, attempts: response.attempts,
                    message: "more than \(limit) redirects")
            }
            current.url = Self.resolve(location, against: current.url)
            if response.status == 303 { current.method = "GET"; current.body = nil }
            hopContext.attempt = response.attempts
        }
    }

    static func resolve(_ location: String, against url: String) -> String {
        if URLText.isAbsolute(location) { return location }
        return URLText.origin(url).map { $0 + (location.hasPrefix("/") ? "" : "/") + location } ?? location
    }
}

extension HTTPResponse {
    /// Where a redirect points (3xx other than 304, with a `Location`); nil for any other answer.
    var redirectLocation: String? {
        guard (300..<400).contains(status), status != 304 else { return nil }
        return header("Location")
    }
}
