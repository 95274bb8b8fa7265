/// A resource's export jobs in flight: at most `capacity` at once. Jobs an earlier run left in
/// flight (adopted from state) hold their slots from the start — the API counts them against
/// its concurrency limit too — so no new job is created while they would exceed it.
actor JobSlots {
    private let capacity: Int
    /// Work items of adopted jobs that have not claimed their slot yet.
    private var reserved: Set<WorkItemKey>
    private var held = 0
    private var waiters: [(id: Int, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextWaiter = 0

    init(capacity: Int, adopted: Set<WorkItemKey> = []) {
        self.capacity = max(1, capacity)
        reserved = adopted
    }

    private var free: Int { capacity - held - reserved.count }

    /// Takes a slot for the job of work item `key`: its own if it was adopted, else the first
    /// free one. Throws `CancellationError` when the task is cancelled while waiting.
    func acquire(_ key: WorkItemKey) async throws {
        if reserved.remove(key) != nil || (free > 0 && waiters.isEmpty) {
            held += 1
            return
        }
        let id = nextWaiter
        nextWaiter += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append((id, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    func release() {
        held -= 1
        wake()
    }

    private func wake() {
        while free > 0, !waiters.isEmpty {
            held += 1
            waiters.removeFirst().continuation.resume()
        }
    }

    private func cancel(_ id: Int) {
        guard let i = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: i).continuation.resume(throwing: CancellationError())
    }
}
