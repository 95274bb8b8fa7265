/// One reusable block of bytes holding the text cells of the rows a statement inserts: each text
/// is copied in once and bound without SQLite copying it again (`SQLITE_STATIC`), so a row costs
/// no allocation and no retain per text cell. Valid until the next `reserve`.
final class TextArena {
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    private var used = 0

    init(capacity: Int = 4096) {
        self.capacity = max(capacity, 1)
        base = UnsafeMutableRawPointer.allocate(byteCount: self.capacity, alignment: 1)
    }

    deinit { base.deallocate() }

    /// Empties the arena, with room for `bytes` bytes: nothing moves until the next call.
    func reserve(_ bytes: Int) {
        used = 0
        guard bytes > capacity else { return }
        base.deallocate()
        capacity = max(bytes, capacity * 2)
        base = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 1)
    }

    /// Copies `text`'s UTF-8 bytes in; the pointer is never nil (SQLite reads nil as NULL, and
    /// an empty text is not NULL). The caller reserved room for it.
    func copy(_ text: String) -> (pointer: UnsafePointer<CChar>, count: Int) {
        let start = base + used
        let count =
            text.utf8.withContiguousStorageIfAvailable { bytes in
                if let source = bytes.baseAddress { start.copyMemory(from: source, byteCount: bytes.count) }
                return bytes.count
            } ?? copyByteByByte(text, to: start)
        used += count
        return (UnsafePointer(start.assumingMemoryBound(to: CChar.self)), count)
    }

    /// A bridged or otherwise non-contiguous string, copied the slow way.
    private func copyByteByByte(_ text: String, to start: UnsafeMutableRawPointer) -> Int {
        var n = 0
        for byte in text.utf8 {
            start.storeBytes(of: byte, toByteOffset: n, as: UInt8.self)
            n += 1
        }
        return n
    }
}
