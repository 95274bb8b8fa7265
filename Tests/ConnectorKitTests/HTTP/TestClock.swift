@testable import ConnectorKit
import Foundation
import Synchronization

/// A clock that never waits: `sleep` moves its time forward and records how long was asked.
final class TestClock: RunClock {
    private let state: Mutex<(offset: Duration, sleeps: [Duration])> = Mutex((.zero, []))
    private let origin = ContinuousClock.now
    let startDate: Date

    init(date: Date = Date(timeIntervalSince1970: 1_700_000_000)) { startDate = date }

    var now: ContinuousClock.Instant { origin + state.withLock { $0.offset } }
    var date: Date { startDate.addingTimeInterval(state.withLock { $0.offset }.seconds) }
    /// Every sleep asked for, in order.
    var sleeps: [Duration] { state.withLock { $0.sleeps } }
    var sleptSeconds: [Double] { sleeps.map(\.seconds) }

    func sleep(for duration: Duration) async throws {
        try Task.checkCancellation()
        state.withLock {
            $0.offset += duration; $0.sleeps.append(duration)
        }
        await Task.yield()
    }
}

/// Always the same fraction.
struct FixedJitter: JitterSource {
    let value: Double
    func fraction() -> Double { value }
}
