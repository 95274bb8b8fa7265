/// Stable 64-bit ids rendered as 16 hex digits (FNV-1a over the parts).
enum StableID {
    static func make(_ parts: String...) -> String { make(parts) }

    static func make(_ parts: [String]) -> String {
        var hasher = Hasher()
        for part in parts { hasher.add(part) }
        return hasher.finish()
    }

    /// The same id, fed part by part (no array of parts per row).
    struct Hasher {
        private var h: UInt64 = 0xcbf2_9ce4_8422_2325

        mutating func add(_ part: String) {
            for b in part.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
            h = (h ^ 0x1F) &* 0x0000_0100_0000_01B3
        }

        func finish() -> String {
            // Final avalanche so that similar inputs spread.
            var h = (self.h ^ (self.h >> 33)) &* 0xff51_afd7_ed55_8ccd
            h = (h ^ (h >> 33)) &* 0xc4ce_b9fe_1a85_ec53
            h ^= h >> 33
            let digits: [UInt8] = Array("0123456789abcdef".utf8)
            return String(unsafeUninitializedCapacity: 16) { buffer in
                for i in 0..<16 { buffer[i] = digits[Int((h >> UInt64(60 - 4 * i)) & 0xF)] }
                return 16
            }
        }
    }
}
