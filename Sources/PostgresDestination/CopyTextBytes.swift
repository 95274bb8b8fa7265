import ConnectorKit

/// A write cursor into memory `PostgresCopyText` reserved for a row: COPY text's pieces written
/// with plain stores, no capacity or bounds check per write (the row's most bytes were reserved).
struct CopyTextBytes {
    private(set) var cursor: UnsafeMutableRawPointer

    init(at cursor: UnsafeMutableRawPointer) { self.cursor = cursor }

    /// The longest number written: a double as Swift prints it ("-2.2250738585072014e-308").
    static let maxNumberLength = 24

    @inline(__always)
    mutating func write(_ byte: UInt8) {
        cursor.storeBytes(of: byte, as: UInt8.self)
        cursor += 1
    }

    /// Writes a value; false when it is text holding NUL, which COPY text cannot carry.
    mutating func write(_ value: Value) -> Bool {
        switch value {
        case .null:
            write(Self.backslash)
            write(UInt8(ascii: "N"))
        case .int(let v): write(v)
        case .bool(let v): write(v ? UInt8(ascii: "t") : UInt8(ascii: "f"))
        case .double(let v):
            var text = PostgresCopyText.text(v)
            text.withUTF8 { utf8 in
                guard let from = utf8.baseAddress else { return }
                cursor.copyMemory(from: from, byteCount: utf8.count)
                cursor += utf8.count
            }
        case .text(let s):
            var text = s
            return text.withUTF8 { utf8 in
                guard let from = utf8.baseAddress else { return true }
                return writeEscaped(UnsafeRawPointer(from), count: utf8.count)
            }
        }
        return true
    }

    /// An integer in decimal, written digits last to first.
    mutating func write(_ v: Int64) {
        if v < 0 { write(UInt8(ascii: "-")) }
        var magnitude = v.magnitude
        var digits = 1
        var rest = magnitude
        while rest >= 10 {
            rest /= 10
            digits += 1
        }
        var at = cursor + digits
        repeat {
            at -= 1
            at.storeBytes(of: UInt8(truncatingIfNeeded: magnitude % 10) &+ UInt8(ascii: "0"), as: UInt8.self)
            magnitude /= 10
        } while magnitude > 0
        cursor += digits
    }

    /// UTF-8 text with backslash, tab, newline and carriage return escaped; false (part of it
    /// written) when it holds NUL. Eight bytes at a time while a word has nothing to escape, the
    /// common case; byte by byte through a word that may.
    mutating func writeEscaped(_ text: UnsafeRawPointer, count: Int) -> Bool {
        var i = 0
        while i < count {
            while i + 8 <= count {
                let word = text.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                if Self.mayNeedEscape(word) { break }
                cursor.storeBytes(of: word, as: UInt64.self)
                cursor += 8
                i += 8
            }
            let end = Swift.min(count, i + 8)
            while i < end {
                let byte = text.load(fromByteOffset: i, as: UInt8.self)
                switch byte {
                case Self.backslash: write(Self.backslash); write(Self.backslash)
                case Self.tab: write(Self.backslash); write(UInt8(ascii: "t"))
                case Self.newline: write(Self.backslash); write(UInt8(ascii: "n"))
                case Self.carriageReturn: write(Self.backslash); write(UInt8(ascii: "r"))
                case 0: return false
                default: write(byte)
                }
                i += 1
            }
        }
        return true
    }

    /// Whether any byte of `word` is below 14 (NUL, tab, newline, carriage return and a few control
    /// characters that need no escape) or a backslash. Exact for "none", which is what matters:
    /// a word it flags is looked at byte by byte.
    @inline(__always)
    static func mayNeedEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let below14 = (word &- ones &* 14) & ~word & highs
        let x = word ^ (ones &* UInt64(backslash))
        let backslashes = (x &- ones) & ~x & highs
        return below14 | backslashes != 0
    }

    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let backslash = UInt8(ascii: "\\")
}
