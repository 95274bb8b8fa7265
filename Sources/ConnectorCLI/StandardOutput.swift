#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// The process's standard output stream (C stdio, which `print` writes through).
enum StandardOutput {
    /// Write each line when it ends, even into a file or a pipe (block-buffered by default there).
    static func lineBuffered() { setvbuf(stdout, nil, _IOLBF, 0) }

    /// Writes what is buffered now (before the process ends without running exit handlers).
    static func flush() { fflush(stdout) }
}
