/// How many answers of a resource `response_actions` ignored or loaded despite a non-2xx
/// status, by status: the report says so in one line, so an ignored answer is never silent.
final class ResponseTally: Sendable {
    private let counts = LockedBox([ResponseActionSpec.Action: [Int: Int]]())

    func count(_ action: ResponseActionSpec.Action, status: Int) {
        counts.withLock { $0[action, default: [:]][status, default: 0] += 1 }
    }

    /// `response_actions: 2 answers ignored (HTTP 404 ×2); 3 non-2xx answers loaded as data
    /// (HTTP 400 ×1, HTTP 500 ×2)`, or nil when no answer was ignored or loaded so.
    var note: String? {
        let all = counts.withLock { $0 }
        var parts: [String] = []
        for (action, what) in [(ResponseActionSpec.Action.ignore, "ignored"), (.load, "loaded as data")] {
            guard let byStatus = all[action], !byStatus.isEmpty else { continue }
            let total = byStatus.values.reduce(0, +)
            let detail = byStatus.sorted { $0.key < $1.key }.map { "HTTP \($0.key) ×\($0.value)" }
            let noun = action == .load ? "non-2xx answer" : "answer"
            parts.append("\(total) \(noun)\(total == 1 ? "" : "s") \(what) (\(detail.joined(separator: ", ")))")
        }
        return parts.isEmpty ? nil : "response_actions: " + parts.joined(separator: "; ")
    }
}

/// What the walk does with one answer, by the endpoint's `response_actions`.
enum AnswerVerdict: Equatable {
    /// Data: hand it to the sink.
    case load
    /// No data: end the item, with this note.
    case ignore(String)
}

extension ResponseRules {
    /// Judges an answer for the page walk: a matching `ignore` ends the item (counted), `fail`
    /// fails the resource with the rule's message, `load` takes a non-2xx answer as data
    /// (counted); any other answer must be 2xx.
    func verdict(
        _ response: HTTPResponse, attempts: Int, request: HTTPRequest, client: SourceClient, resource: String,
        tally: ResponseTally
    ) throws(ExtractError) -> AnswerVerdict {
        let status = response.status
        let rule = match(response)
        switch rule?.action {
        case .ignore?:
            tally.count(.ignore, status: status)
            return .ignore("HTTP \(status) ignored as declared" + (rule?.message.map { ": \($0)" } ?? ""))
        case .fail?:
            throw ExtractError(
                .status(status), resource: resource, method: request.method,
                url: client.redactor.redactURL(request.url), attempts: attempts,
                message: (rule?.message.map { "\($0) (response_actions); " } ?? "failed as declared; ")
                    + client.redactor.redact(SourceClient.snippet(response.body)))
        case .load?:
            if !(200..<300).contains(status) { tally.count(.load, status: status) }
            return .load
        case .retry?, nil:
            try client.require(response, attempts: attempts, request: request, resource: resource)
            return .load
        }
    }
}
