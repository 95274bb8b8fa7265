import AsyncHTTPClient
import Synchronization

/// A request task started on the event loop by `HTTPTransport`, which the caller's cancellation
/// handler may have to cancel before the loop has started it: the cancel is kept and applied the
/// moment the task exists, so a request is never left running for a caller that gave up.
final class LoopStartedTask: Sendable {
    private enum State {
        case waiting
        case started(HTTPClient.Task<HTTPResponse>)
        case cancelled
    }

    private let state = Mutex(State.waiting)

    /// Records the task the loop started; cancels it at once when the caller already gave up.
    func started(_ task: HTTPClient.Task<HTTPResponse>) {
        let cancelled = state.withLock { state -> Bool in
            if case .cancelled = state { return true }
            state = .started(task)
            return false
        }
        if cancelled { task.cancel() }
    }

    /// Cancels the started task, or the one about to start.
    func cancel() {
        let task = state.withLock { state -> HTTPClient.Task<HTTPResponse>? in
            defer { state = .cancelled }
            if case .started(let task) = state { return task }
            return nil
        }
        task?.cancel()
    }
}
