@testable import ConnectorKit
import Synchronization

/// A fake `next`: answers from a script, one entry per call, and records what it was given.
final class ScriptedNext: Sendable {
    enum Answer: Sendable {
        case status(Int, headers: [(String, String)] = []), transport(sent: Bool), error(ExtractError)
    }
    private let state: Mutex<(script: [Answer], seen: [(HTTPRequest, RequestContext)])>

    init(_ script: [Answer]) { state = Mutex((script, [])) }

    var requests: [HTTPRequest] { state.withLock { $0.seen.map(\.0) } }
    var contexts: [RequestContext] { state.withLock { $0.seen.map(\.1) } }

    func call(_ request: HTTPRequest, _ context: RequestContext) async throws(ExtractError) -> HTTPResponse {
        let answer = state.withLock { s in
            s.seen.append((request, context))
            return s.script.count > 1 ? s.script.removeFirst() : s.script[0]
        }
        switch answer {
        case .status(let status, let headers):
            return HTTPResponse(status: status, headers: headers, body: Array("body".utf8))
        case .transport(let sent):
            var failure = ExtractError(
                .transport, resource: context.resource, attempts: context.attempt,
                message: "dropped")
            failure.unanswered = TransportFailure(
                CancellationError(), sent: sent,
                limits: .init(responseSeconds: 1, idleSeconds: 1, maxBodyBytes: 1))
            throw failure
        case .error(let error):
            throw error
        }
    }
}

extension RequestContext {
    static func test(_ resource: String = "r", auth: any Authenticator = NoAuth()) -> RequestContext {
        RequestContext(resource: resource, auth: auth, redactor: Redactor(secrets: ["s3cret"]))
    }
}
