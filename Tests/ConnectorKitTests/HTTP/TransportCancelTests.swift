import APISandbox
import ConnectorKit
import Foundation
import Testing

/// `HTTPTransport` starts each request on its event loop; a caller that gives up before or while
/// the loop starts it must still get a cancellation, never the answer of a request left running.
@Suite("HTTP transport: cancelled requests")
struct TransportCancelTests {
    @Test(
        "a request cancelled before or just after it starts fails as cancelled",
        arguments: [true, false])
    func cancelled(beforeStart: Bool) async throws {
        let server = try await LoopbackHTTPServer.start { _ in
            usleep(200_000)  // an answer that comes after the caller gave up
            return SandboxResponse(status: 200, body: Array("{}".utf8))
        }
        let transport = HTTPTransport()
        let call = Task { () -> Result<HTTPResponse, TransportFailure> in
            if beforeStart { withUnsafeCurrentTask { $0?.cancel() } }
            do throws(TransportFailure) {
                return .success(try await transport.execute(HTTPRequest(url: server.baseURL + "/x"), timeoutSeconds: 5))
            } catch {
                return .failure(error)
            }
        }
        if !beforeStart { call.cancel() }
        let result = await call.value
        await transport.shutdown()
        await server.shutdown()
        guard case .failure(let failure) = result else {
            Issue.record("the cancelled request returned an answer")
            return
        }
        #expect(failure.isCancellation, "\(failure)")
    }
}
