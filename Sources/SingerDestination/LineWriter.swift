import Foundation

/// Writes message lines to a file descriptor (a target's stdin, the tap's stdout) through a
/// bounded buffer. A full pipe blocks `write(2)`, which is the backpressure: a slow target
/// slows connector down instead of connector buffering without bound.
public final class LineWriter {
    private let descriptor: Int32
    private let what: String
    private var buffer: [UInt8] = []
    private let limit = 1 << 16

    /// `what` names the other end in errors ("the target's input", "standard output").
    public init(descriptor: Int32, what: String) {
        self.descriptor = descriptor
        self.what = what
        buffer.reserveCapacity(limit + 4096)
        ignoreBrokenPipes()
    }

    /// Queues one line (a newline is added); writes when the buffer is full.
    public func line(_ text: String) throws(SingerError) {
        buffer.append(contentsOf: text.utf8)
        buffer.append(10)
        if buffer.count >= limit { try flush() }
    }

    /// Writes what is queued, blocking while the reader is behind.
    public func flush() throws(SingerError) {
        let failure = buffer.withUnsafeBytes { writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
        if let failure { throw failure }
    }

    /// Writes the lines of a file (a spooled stream), a chunk at a time.
    func copy(file path: String) throws(SingerError) {
        try flush()
        guard let handle = FileHandle(forReadingAtPath: path) else { throw SingerError("cannot read \(path)") }
        defer { try? handle.close() }
        while true {
            let chunk: Data
            do { chunk = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw SingerError("cannot read \(path): \(error)")
            }
            if chunk.isEmpty { return }
            if let failure = chunk.withUnsafeBytes({ writeAll($0) }) { throw failure }
        }
    }

    /// Writes every byte; the error when the other end is gone (or another write error).
    private func writeAll(_ bytes: UnsafeRawBufferPointer) -> SingerError? {
        guard let base = bytes.baseAddress else { return nil }
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, base + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                let reason = errno == EPIPE ? "it closed its end (exited?)" : String(cString: strerror(errno))
                return SingerError("cannot write to \(what): \(reason)")
            }
            offset += written
        }
        return nil
    }
}

/// A write to a pipe whose reader is gone fails with EPIPE (reported with context) instead
/// of the signal ending connector without a word.
private func ignoreBrokenPipes() {
    _ = brokenPipesIgnored
}

private let brokenPipesIgnored: Bool = {
    signal(SIGPIPE, SIG_IGN)
    return true
}()
