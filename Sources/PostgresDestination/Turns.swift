/// One caller at a time, first come first served, across awaits: an actor alone lets another call
/// in whenever the one running awaits, so work that must not interleave (a transaction on a shared
/// connection) takes a turn first and ends it when done.
final class Turns: @unchecked Sendable {
    private let lock = NSLock()
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Returns once it is the caller's turn.
    func take() async {
        await withCheckedContinuation { (next: CheckedContinuation<Void, Never>) in
            let now = lock.withLock {
                if busy {
                    waiting.append(next)
                    return false
                }
                busy = true
                return true
            }
            if now { next.resume() }
        }
    }

    /// Ends the caller's turn: the next waiting caller gets it.
    func end() {
        let next = lock.withLock {
            if waiting.isEmpty {
                busy = false
                return nil as CheckedContinuation<Void, Never>?
            }
            return waiting.removeFirst()
        }
        next?.resume()
    }
}

import Foundation
