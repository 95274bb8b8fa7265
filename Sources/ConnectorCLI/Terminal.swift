#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// Standard error as a terminal: whether it is one, and how wide.
enum Terminal {
    /// True when standard error is a terminal (then the status block is drawn in place).
    static var isStandardErrorTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// Columns of the terminal on standard error (80 when it does not say).
    static var width: Int {
        var size = winsize()
        guard ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
        return Int(size.ws_col)
    }

    /// Moves the cursor to the start of the line `lines` up and clears from there to the end of
    /// the screen: erases a block of `lines` lines just drawn.
    static func erase(lines: Int) -> String { lines > 0 ? "\u{1B}[\(lines)F\u{1B}[J" : "" }
}
