/// The UTF-8 bytes of a row batch's text cells, one text after another. Appending is on the
/// hot path of normalizing (every text value, row id and load id: several a row), and here it
/// is a capacity test and a copy; `[UInt8].append(contentsOf:)` spent ~70 instructions a call
/// in its generic path. A value: a copy shares the bytes until either side appends. The bytes never
/// move: an append that needs room (or meets a shared storage) copies them to a new storage, and
/// the old one stays as it was for as long as any value holds it (`RowBatch.forEachRow`).
public struct TextBytes: Sendable {
    /// Unchecked Sendable: its bytes change only through a `TextBytes` holding the only reference.
    final class Storage: @unchecked Sendable {
        let base: UnsafeMutableRawPointer
        let capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(byteCount: Swift.max(capacity, 1), alignment: 8)
        }

        deinit { base.deallocate() }

        /// Where empty values start: shared, so the first append makes a storage of its own.
        static let empty = Storage(capacity: 0)
    }

    private var storage: Storage
    /// Bytes held.
    public private(set) var count = 0

    init() { storage = .empty }

    /// The bytes, valid for the duration of `body`.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: storage.base, count: count))
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        let n = bytes.count
        guard n > 0, let from = bytes.baseAddress else { return }
        if count + n > storage.capacity || !isKnownUniquelyReferenced(&storage) {
            grow(toHold: count + n, doubling: true)
        }
        (storage.base + count).copyMemory(from: from, byteCount: n)
        count += n
    }

    mutating func append(_ other: TextBytes) { other.withUnsafeBytes { append($0) } }

    /// Room for `capacity` bytes in all without growing.
    mutating func reserveCapacity(_ capacity: Int) {
        if capacity > storage.capacity || (count > 0 && !isKnownUniquelyReferenced(&storage)) {
            grow(toHold: Swift.max(capacity, count), doubling: false)
        }
    }

    /// A storage of its own, holding at least `needed` bytes (twice the old capacity if more,
    /// when appending: a few copies a text on average, however many texts come).
    private mutating func grow(toHold needed: Int, doubling: Bool) {
        let capacity = doubling ? Swift.max(needed, storage.capacity * 2, 64) : needed
        let larger = Storage(capacity: capacity)
        if count > 0 { larger.base.copyMemory(from: storage.base, byteCount: count) }
        storage = larger
    }
}
