#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on a file, held while one run uses a dataset, so that a second run of the
/// same pipeline fails at once with a clear message instead of trampling the first one's
/// staged data. The kernel drops it when the process dies, so a killed run never blocks the next.
public final class FileLock: @unchecked Sendable {
    private var descriptor: Int32

    public init(path: String, purpose: String) throws(FileLockError) {
        let fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw FileLockError(message: "cannot open lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw FileLockError(
                message: "another run of \(purpose) is in progress (it holds \(path)); wait for it to finish")
        }
        descriptor = fd
    }

    /// Releases the lock; later calls do nothing.
    public func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}

public struct FileLockError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
