@testable import ConnectorKit
import Testing

/// The credential step's one resend after a 401: only at home, only when the authenticator can
/// get new credentials, and only once.
@Suite("HTTP step: credentials after a 401")
struct CredentialRetryTests {
    /// Hands out `Bearer t1`, `Bearer t2`, … and says yes to a new one when `renews`.
    final class Renewing: Authenticator {
        let renews: Bool
        let issued = LockedBox(1)
        let rejections = LockedBox(0)
        init(renews: Bool) { self.renews = renews }
        func authorize(_ request: inout HTTPRequest, context: RequestContext) {
            request.headers.append(("Authorization", "Bearer t\(issued.withLock { $0 })"))
        }
        func rejected(_ request: HTTPRequest) async -> Bool {
            rejections.withLock { $0 += 1 }
            if renews { issued.withLock { $0 += 1 } }
            return renews
        }
    }

    @Test(
        "what is sent after a 401",
        arguments: [
            // (URL, authenticator renews, answers, Authorization headers sent, final status)
            ("https://a.test/x", true, [401, 200], ["Bearer t1", "Bearer t2"], 200),
            ("https://a.test/x", true, [401, 401, 200], ["Bearer t1", "Bearer t2"], 401),
            ("https://a.test/x", false, [401, 200], ["Bearer t1"], 401),
            ("https://b.test/x", true, [401, 200], [""], 401),
            ("https://a.test/x", true, [403, 200], ["Bearer t1"], 403),
        ] as [(String, Bool, [Int], [String], Int)])
    func resend(_ url: String, _ renews: Bool, _ answers: [Int], _ sent: [String], _ status: Int) async throws {
        let auth = Renewing(renews: renews)
        let step = CredentialStep(
            origin: URLText.origin("https://a.test/"), headers: [], redactor: Redactor(secrets: []))
        let next = ScriptedNext(answers.map { .status($0) })
        let response = try await step.handle(HTTPRequest(url: url), context: .test(auth: auth), next: next.call)
        #expect(response.status == status)
        #expect(next.requests.map { r in r.headers.first { $0.0 == "Authorization" }?.1 ?? "" } == sent)
        #expect(auth.rejections.withLock { $0 } == (url.contains("a.test") && answers[0] == 401 ? 1 : 0))
    }
}
