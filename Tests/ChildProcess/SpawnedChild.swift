import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process started with `posix_spawn`, for the runs of the binary the tests make by the
/// hundred. Foundation's `Process.run()` in Swift 6.3.1 on Linux over-reads a `dirent` while it
/// lists `/proc/self/fd` and crashes the test process now and then (swift-corelibs-foundation
/// PR 5472; seen here once in a full suite); this path lists nothing: the child gets its
/// descriptors 0–2 as asked and every other one closed (`addclosefrom_np`). Shared by the test
/// targets that start the binary (end-to-end and hostile tests); one task drives each child.
public final class SpawnedChild: @unchecked Sendable {
    public let pid: pid_t
    /// The child's end (exit code, or signal number) once reaped.
    private var ended: Int32?

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Starts `path` with `arguments` and exactly `environment`, in `directory`; stdin is
    /// /dev/null, stdout and stderr go to the files named (created or truncated).
    public init(
        _ path: String, _ arguments: [String], environment: [String: String], directory: String,
        stdout: String, stderr: String
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // glibc's GNU extensions, which Swift's Glibc module leaves out: found at run time.
        guard let chdir = Self.glibc("posix_spawn_file_actions_addchdir_np", as: AddChdir.self),
            let closeFrom = Self.glibc("posix_spawn_file_actions_addclosefrom_np", as: AddCloseFrom.self)
        else { throw Failure(description: "this C library has no posix_spawn_file_actions_addchdir_np/addclosefrom_np") }
        _ = chdir(&actions, directory)
        _ = closeFrom(&actions, 3)
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, path, &actions, nil, argv, envp)
        guard result == 0 else { throw Failure(description: "posix_spawn \(path): \(String(cString: strerror(result)))") }
        self.pid = pid
    }

    private typealias AddChdir = @convention(c) (
        UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>
    ) -> Int32
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    private static func glibc<F>(_ name: String, as type: F.Type) -> F? {
        dlsym(nil, name).map { unsafeBitCast($0, to: type) }
    }

    /// Waits for the child's end: its exit code, or the number of the signal that ended it
    /// (what Foundation's `terminationStatus` says).
    @discardableResult
    public func wait() -> Int32 {
        if let ended { return ended }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return reaped(status)
    }

    /// False once the child has ended (and is then reaped; `wait()` returns its end at once).
    public var isRunning: Bool {
        if ended != nil { return false }
        var status: Int32 = 0
        guard waitpid(pid, &status, WNOHANG) == pid else { return true }
        _ = reaped(status)
        return false
    }

    /// Ends a child still running and reaps it.
    public func terminate() {
        if isRunning {
            kill(pid, SIGTERM)
            wait()
        }
    }

    private func reaped(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        let end = signal == 0 ? (status >> 8) & 0xff : signal
        ended = end
        return end
    }
}
