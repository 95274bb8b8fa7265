@testable import ConnectorKit
import Testing

/// A batch's text bytes are a value: copies taken while a table keeps appending (a batch handed
/// to the loader, a row read in place) must keep what they saw.
@Suite("Text bytes of a row batch")
struct TextBytesTests {
    private func bytes(_ t: TextBytes) -> [UInt8] { t.withUnsafeBytes { Array($0) } }

    private func append(_ s: String, to t: inout TextBytes) {
        var s = s
        s.withUTF8 { t.append(UnsafeRawBufferPointer($0)) }
    }

    @Test("appends keep every byte in order across growth")
    func growth() {
        var t = TextBytes()
        var expected: [UInt8] = []
        for i in 0..<500 {
            let piece = String(repeating: "ü\(i)", count: i % 7)  // empty pieces too
            append(piece, to: &t)
            expected += Array(piece.utf8)
        }
        #expect(t.count == expected.count)
        #expect(bytes(t) == expected)
    }

    @Test("a copy keeps its bytes when the original appends, and the other way round")
    func copyOnWrite() {
        var original = TextBytes()
        append("abc", to: &original)
        let copy = original
        append(String(repeating: "x", count: 200), to: &original)  // grows
        var second = original
        append("tail", to: &second)  // fits in capacity, but shared: must not write into original
        #expect(bytes(copy) == Array("abc".utf8))
        #expect(bytes(original) == Array(("abc" + String(repeating: "x", count: 200)).utf8))
        #expect(bytes(second) == Array(("abc" + String(repeating: "x", count: 200) + "tail").utf8))
    }

    @Test("reserving room keeps the bytes; appending a value to itself doubles it")
    func reserveAndSelfAppend() {
        var t = TextBytes()
        t.reserveCapacity(0)
        #expect(t.count == 0)
        append("héllo", to: &t)
        let shared = t
        t.reserveCapacity(4)  // smaller than held, but shared: a copy of its own, same bytes
        t.reserveCapacity(1000)
        #expect(bytes(t) == Array("héllo".utf8))
        t.append(t)
        #expect(bytes(t) == Array("héllohéllo".utf8))
        #expect(bytes(shared) == Array("héllo".utf8))
    }
}
