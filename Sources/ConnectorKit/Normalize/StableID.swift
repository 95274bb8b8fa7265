/// Stable 64-bit ids rendered as 16 hex digits (FNV-1a over the parts).
enum StableID {
    static func make(_ parts: String...) -> String { make(parts) }

    static func make(_ parts: [String]) -> String {
        var hasher = Hasher()
        for part in parts { hasher.add(part) }
        return hasher.finish()
    }

    /// The part of a list element's id all elements of one list share (its parent's id and the
    /// list's path): hashed once per list.
    static func listPrefix(parentId: RowID, path: String) -> Hasher {
        var hasher = Hasher()
        parentId.withHex { hasher.add(utf8: $0) }
        hasher.add(path)
        return hasher
    }

    /// A list element's id: its list's prefix and its index.
    static func child(_ listPrefix: Hasher, index: Int) -> RowID {
        var hasher = listPrefix
        hasher.add(index)
        return hasher.finishID()
    }

    /// A row id before it is text (16 lowercase hex digits of `hash`): rows keep the digits in
    /// their batch's arena, so no `String` is made per row.
    struct RowID {
        let hash: UInt64

        func withHex<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
            var digits = (
                Self.hexDigits(UInt32(truncatingIfNeeded: hash >> 32)), Self.hexDigits(UInt32(truncatingIfNeeded: hash))
            )
            return try withUnsafeBytes(of: &digits) { try body($0) }
        }

        /// The 8 hex digits of `x` as the bytes of a word, first digit first in memory: every
        /// nibble moved to a byte of its own, then '0' added and, for nibbles of 10 or more, the
        /// distance from '9' + 1 to 'a' (a row id is 16 digits, made for every row and list element).
        static func hexDigits(_ x: UInt32) -> UInt64 {
            var v = UInt64(x)
            v = (v | (v << 16)) & 0x0000_FFFF_0000_FFFF
            v = (v | (v << 8)) & 0x00FF_00FF_00FF_00FF
            v = (v | (v << 4)) & 0x0F0F_0F0F_0F0F_0F0F
            let letters = ((v &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101
            v = v &+ 0x3030_3030_3030_3030 &+ letters &* UInt64(UInt8(ascii: "a") - UInt8(ascii: "9") - 1)
            return v.bigEndian
        }

        var text: String { withHex { String(decoding: $0, as: UTF8.self) } }
    }

    /// The same id, fed part by part (no array of parts per row).
    struct Hasher {
        private var h: UInt64 = 0xcbf2_9ce4_8422_2325

        mutating func add(_ part: String) {
            // Native strings hash straight from their bytes; others (bridged) byte by byte.
            if part.utf8.withContiguousStorageIfAvailable({ add(bytes: $0) }) == nil { add(bytes: part.utf8) }
            h = (h ^ 0x1F) &* 0x0000_0100_0000_01B3
        }

        /// The same as `add(String(decoding: utf8, as: UTF8.self))` for valid UTF-8, without the string.
        mutating func add(utf8: UnsafeRawBufferPointer) {
            add(bytes: utf8)
            h = (h ^ 0x1F) &* 0x0000_0100_0000_01B3
        }

        @inline(__always)
        private mutating func add<Bytes: Sequence<UInt8>>(bytes: Bytes) {
            var h = self.h
            for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
            self.h = h
        }

        /// The same as `add(String(number))`, without making the string (one per row otherwise).
        mutating func add(_ number: Int) {
            if number < 0 { h = (h ^ UInt64(UInt8(ascii: "-"))) &* 0x0000_0100_0000_01B3 }
            let magnitude = number.magnitude
            var power: UInt = 1
            while power <= magnitude / 10 { power *= 10 }
            var rest = magnitude
            while true {
                h = (h ^ UInt64(48 + rest / power)) &* 0x0000_0100_0000_01B3
                rest %= power
                if power == 1 { break }
                power /= 10
            }
            h = (h ^ 0x1F) &* 0x0000_0100_0000_01B3
        }

        /// A cell as its text would hash (`Value.textValue`); false for null. Integers make no string.
        mutating func add(_ value: Value) -> Bool {
            switch value {
            case .null: return false
            case .int(let i): add(Int(i))
            case .text(let s): add(s)
            default: add(value.textValue ?? "")
            }
            return true
        }

        func finish() -> String { finishID().text }

        func finishID() -> RowID {
            // Final avalanche so that similar inputs spread.
            var h = (self.h ^ (self.h >> 33)) &* 0xff51_afd7_ed55_8ccd
            h = (h ^ (h >> 33)) &* 0xc4ce_b9fe_1a85_ec53
            h ^= h >> 33
            return RowID(hash: h)
        }
    }
}
