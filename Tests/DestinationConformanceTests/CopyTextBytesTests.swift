import ConnectorKit
@testable import PostgresDestination
import Testing

/// COPY text's escaper (`CopyTextBytes`) checks eight bytes at a time and looks byte by byte only
/// through a word that may hold a mark. Against the plain byte-by-byte rule, every mark at every
/// place of texts shorter and longer than a word must come out the same; NUL anywhere is refused.
@Suite("PostgreSQL COPY text bytes")
struct CopyTextBytesTests {
    /// The rule, byte by byte.
    static func reference(_ bytes: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        for b in bytes {
            switch b {
            case 0: return nil
            case UInt8(ascii: "\\"): out += Array(#"\\"#.utf8)
            case UInt8(ascii: "\t"): out += Array(#"\t"#.utf8)
            case UInt8(ascii: "\n"): out += Array(#"\n"#.utf8)
            case UInt8(ascii: "\r"): out += Array(#"\r"#.utf8)
            default: out.append(b)
            }
        }
        return out
    }

    static func escaped(_ bytes: [UInt8]) -> [UInt8]? {
        let room = UnsafeMutableRawPointer.allocate(byteCount: 2 * bytes.count + 8, alignment: 8)
        defer { room.deallocate() }
        var out = CopyTextBytes(at: room)
        let ok = bytes.withUnsafeBytes { text in
            guard let base = text.baseAddress else { return true }
            return out.writeEscaped(base, count: text.count)
        }
        return ok ? Array(UnsafeRawBufferPointer(start: room, count: out.cursor - room)) : nil
    }

    /// Bytes that are marks, look like them to the word check (controls below 14, bytes of UTF-8
    /// sequences) or are plain.
    static let probes: [UInt8] = [0, 1, 9, 10, 11, 13, 14, 31, 92, 0x5B, 0x80, 0xC3, 0xE6, 0xFF, UInt8(ascii: "a")]

    @Test("each byte at each place of texts of 1 to 25 bytes", arguments: Array(1...25))
    func everyPlace(_ length: Int) {
        for probe in Self.probes {
            for place in 0..<length {
                var text = [UInt8](repeating: UInt8(ascii: "x"), count: length)
                text[place] = probe
                #expect(Self.escaped(text) == Self.reference(text), "byte \(probe) at \(place) of \(length)")
            }
        }
    }

    @Test("texts with many marks, and the empty text")
    func manyMarks() {
        let texts: [[UInt8]] = [
            [],
            Array("\\\\\\\\\\\\\\\\\\".utf8),
            Array("\t\n\r\\\t\n\r\\\t\n\r\\x".utf8),
            Array("ünïcødé 日本 🎉 a\tb c\nd".utf8),
            Array(repeating: 10, count: 17),
            Array("abcdefgh\u{0}".utf8),
        ]
        for text in texts { #expect(Self.escaped(text) == Self.reference(text), "\(text)") }
    }

    @Test(
        "integers in decimal, the extremes included",
        arguments: [0, 7, -7, 9, 10, 99, 100, 1_000_000_007, Int64.max, Int64.min, Int64.min + 1])
    func integers(_ value: Int64) {
        let room = UnsafeMutableRawPointer.allocate(byteCount: CopyTextBytes.maxNumberLength, alignment: 8)
        defer { room.deallocate() }
        var out = CopyTextBytes(at: room)
        out.write(value)
        #expect(
            String(decoding: UnsafeRawBufferPointer(start: room, count: out.cursor - room), as: UTF8.self) == "\(value)"
        )
    }
}
