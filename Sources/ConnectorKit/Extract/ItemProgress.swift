/// Where one work item of a resource stands when its rows are staged: finished, or the next
/// page to ask for and what its paginator knows. Stored with the rows it follows, so that a
/// run that died continues there instead of starting over.
public enum ItemProgress: Sendable, Codable, Equatable {
    case done
    case next(PageRequestRecord, paginator: [String: String])
}

/// A `PageRequest` as stored in a checkpoint.
public struct PageRequestRecord: Sendable, Codable, Equatable {
    public var method: String
    public var url: String
    public var params: [[String]]
    public var body: [UInt8]?

    public init(_ request: PageRequest) {
        method = request.method
        url = request.url
        params = request.params.map { [$0.0, $0.1] }
        body = request.body
    }

    /// No secret kept: parameters that carry one by name (the auth query parameters) are
    /// dropped from the URL and the parameters, whatever their encoding (an API may echo the
    /// key in its next links, `+` for spaces); known secret values left anywhere else are
    /// masked. The authenticator and the endpoint set their parameters again when resumed.
    public func redacted(by redactor: Redactor) -> PageRequestRecord {
        var copy = self
        copy.url = redactor.redact(URLText.removingQuery(url) { redactor.isSecretParameter($0) })
        copy.params = params.filter { !($0.first.map(redactor.isSecretParameter) ?? false) }
            .map { $0.map(redactor.redact) }
        return copy
    }

    public var request: PageRequest {
        PageRequest(
            method: method, url: url, params: params.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil },
            body: body)
    }
}
