#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A field of one table's records, reached from its parent object by the key's raw bytes.
/// The walk over every record meets the same few fields again and again; this tree lets it
/// find a field's path and column without building or hashing a path string per value.
final class FieldNode {
    /// Keys from the table's root, joined by U+001F (the form `TableBuilder` knows).
    let path: String
    private let key: [UInt8]
    /// Children by a 64-bit hash of their key; the key bytes settle collisions.
    private var children: [UInt64: [FieldNode]] = [:]
    /// The column the last value type went to: fields almost always keep one type.
    private var cachedType: DataType?
    private var cachedSlot: (index: Int, type: DataType) = (0, .text)
    /// For list fields: the child table they fill.
    var childTable: TableBuilder?
    /// The field that followed this one in the last record, and this object's first field:
    /// records of one API keep their key order, so the next lookup is usually one compare.
    var nextSibling: FieldNode?
    var firstChild: FieldNode?

    init(path: String, key: [UInt8]) {
        self.path = path
        self.key = key
    }

    static func root() -> FieldNode { FieldNode(path: "", key: []) }

    /// The field `key` below this one, following `previous` (nil: the first key of the object).
    func child(_ key: UnsafeRawBufferPointer, after previous: FieldNode?) -> FieldNode {
        if let guess = previous?.nextSibling ?? (previous == nil ? firstChild : nil), guess.matches(key) {
            return guess
        }
        let found = child(key)
        if let previous { previous.nextSibling = found } else { firstChild = found }
        return found
    }

    private func matches(_ other: UnsafeRawBufferPointer) -> Bool {
        key.count == other.count
            && key.withUnsafeBytes { mine in
                guard let a = mine.baseAddress, let b = other.baseAddress else { return mine.count == 0 }
                return memcmp(a, b, mine.count) == 0
            }
    }

    /// The field `key` below this one, created on first sight.
    func child(_ key: UnsafeRawBufferPointer) -> FieldNode {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        if let bucket = children[h] {
            for node in bucket where node.key.elementsEqual(key) { return node }
        }
        let name = String(decoding: key, as: UTF8.self)
        let node = FieldNode(path: path.isEmpty ? name : path + "\u{1F}" + name, key: Array(key))
        children[h, default: []].append(node)
        return node
    }

    func child(_ key: String) -> FieldNode {
        var k = key
        return k.withUTF8 { child(UnsafeRawBufferPointer($0)) }
    }

    /// The column for a value of `type` in `table` (see `TableBuilder.slot`), remembered.
    func slot(_ type: DataType, in table: TableBuilder) -> (index: Int, type: DataType)? {
        if cachedType == type { return cachedSlot }
        guard let slot = table.slot(path: path, type: type) else { return nil }  // refusals are not cached: they report per record
        cachedType = type
        cachedSlot = slot
        return slot
    }
}
