@testable import ConnectorKit
import Testing

/// Job slots count adopted jobs from the start: a new job waits until they are done.
@Suite("Export job slots")
struct JobSlotsTests {
    @Test("adopted jobs take their reserved slots at once; a new job waits until one of them ends")
    func adoptedFirst() async throws {
        let slots = JobSlots(capacity: 2, adopted: ["job:a", "job:b"])
        let started = LockedBox(false)
        let newJob = Task {
            try await slots.acquire("job:new")
            started.withLock { $0 = true }
        }
        try await slots.acquire("job:b")
        try await Task.sleep(for: .milliseconds(20))
        #expect(!started.withLock { $0 }, "both slots belong to adopted jobs")
        await slots.release()
        try await newJob.value
        #expect(started.withLock { $0 })
        try await slots.acquire("job:a")  // still reserved: no wait
    }

    @Test("a job waiting for a slot gives up when its task is cancelled")
    func cancellation() async throws {
        let slots = JobSlots(capacity: 1, adopted: ["job:adopted"])
        let waiting = Task { try await slots.acquire("job:x") }
        try await Task.sleep(for: .milliseconds(10))
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        try await slots.acquire("job:adopted")
        await slots.release()
        try await slots.acquire("job:y")
    }
}
