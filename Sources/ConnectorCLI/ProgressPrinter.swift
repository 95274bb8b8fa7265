import ConnectorKit
import Foundation

/// Shows a run's progress on standard error. In a terminal: a status block (one line per
/// running resource, see `StatusBoard`) redrawn in place a few times a second, with lines that
/// stay — a resource that ended, a retry that waits — printed above it. Otherwise: the same
/// figures as plain lines every `interval` seconds, never an escape code. Reports on standard
/// output are printed through `above`, so that the block never overwrites them.
final class ProgressPrinter: Sendable {
    enum Mode: Sendable { case quiet, plain, terminal }

    private struct State: Sendable {
        var board = StatusBoard()
        var drawnLines = 0
        var lastPlain = 0.0
    }

    private let mode: Mode
    private let interval: Double
    private let state = LockedBox(State())
    private let origin = ContinuousClock.now
    private let ticker = LockedBox<Task<Void, Never>?>(nil)

    /// `quiet` (a JSON report) prints nothing; otherwise a terminal on standard error gets the block.
    init(quiet: Bool, interval: Double = 2) {
        mode = quiet ? .quiet : (Terminal.isStandardErrorTerminal ? .terminal : .plain)
        self.interval = interval
        guard mode != .quiet else { return }
        let tick = mode == .terminal ? 0.25 : min(interval, 0.5)
        ticker.withLock { [self] task in
            task = Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(Int(tick * 1000)))
                    self?.tick()
                }
            }
        }
    }

    private var now: Double { (ContinuousClock.now - origin).seconds }

    func handle(_ event: ProgressEvent, pipeline: String) {
        guard mode != .quiet else { return }
        let time = now
        state.withLock { $0.board.apply(event, pipeline: pipeline, now: time) }
        switch event {
        case .retrying(let resource, let notice) where notice.wait >= 1:
            // Quick retries are counted in the block and the report; a wait a person would notice is shown.
            say("  ↻ \(pipeline)/\(resource): \(notice)")
        case .finished(let o):
            let mark = o.status == .succeeded ? (o.message == nil ? "✓" : "!") : (o.status == .skipped ? "-" : "✗")
            say(
                "  \(mark) \(pipeline)/\(o.resource): \(o.status.rawValue), \(o.pages) pages, "
                    + "\(StatusText.grouped(o.totalRows)) rows, \(StatusText.duration(o.seconds))")
        default: break
        }
    }

    /// A line that stays, on standard error (above the block in a terminal).
    func say(_ line: String) {
        guard mode != .quiet else { return }
        above { Self.err(line) }
    }

    /// Runs `write` (which prints something that stays) with the block erased, then redraws it.
    func above(_ write: () -> Void) {
        guard mode == .terminal else { return write() }
        state.withLock { s in
            Self.raw(Terminal.erase(lines: s.drawnLines))
            s.drawnLines = 0
            write()
            StandardOutput.flush()
            draw(&s)
        }
    }

    /// Stops redrawing and erases the block (the reports printed after it are the final table).
    func stop() {
        ticker.withLock { $0?.cancel() }
        guard mode == .terminal else { return }
        state.withLock { s in
            Self.raw(Terminal.erase(lines: s.drawnLines))
            s.drawnLines = 0
        }
    }

    private func tick() {
        let time = now
        state.withLock { s in
            switch mode {
            case .terminal:
                Self.raw(Terminal.erase(lines: s.drawnLines))
                draw(&s)
            case .plain where time - s.lastPlain >= interval:
                s.lastPlain = time
                for line in s.board.plainLines(now: time) { Self.err(line) }
            default: break
            }
        }
    }

    private func draw(_ s: inout State) {
        let lines = s.board.running.isEmpty ? [] : s.board.block(width: Terminal.width, now: now)
        Self.raw(lines.map { $0 + "\n" }.joined())
        s.drawnLines = lines.count
    }

    static func err(_ text: String) { raw(text + "\n") }

    private static func raw(_ text: String) {
        guard !text.isEmpty else { return }
        FileHandle.standardError.write(Data(text.utf8))
    }
}
