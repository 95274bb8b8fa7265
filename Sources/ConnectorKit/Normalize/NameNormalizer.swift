/// API field names → SQL-friendly snake_case identifiers (`eventTimestamp` → `event_timestamp`,
/// `correlationID` → `correlation_id`, `X-Api-Key` → `x_api_key`, `2fa` → `_2fa`).
public enum NameNormalizer {
    public static func normalize(_ name: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count + 4)
        let scalars = Array(name.unicodeScalars)
        func isUpper(_ s: Unicode.Scalar) -> Bool { s.properties.isUppercase }
        func isAlnum(_ s: Unicode.Scalar) -> Bool { s.properties.isAlphabetic || s.properties.numericType != nil }
        if scalars.first == "_" { out.append(UInt8(ascii: "_")) }
        for (i, s) in scalars.enumerated() {
            if isAlnum(s) {
                if isUpper(s), i > 0 {
                    let prev = scalars[i - 1]
                    let nextIsLower = i + 1 < scalars.count && scalars[i + 1].properties.isLowercase
                    if prev.properties.isLowercase || prev.properties.numericType != nil || (isUpper(prev) && nextIsLower) {
                        if out.last != UInt8(ascii: "_") { out.append(UInt8(ascii: "_")) }
                    }
                }
                if s.isASCII {
                    out.append(UInt8(s.value) | (isUpper(s) ? 0x20 : 0))
                } else {
                    out.append(contentsOf: Array(String(s).lowercased().utf8))
                }
            } else if out.last != UInt8(ascii: "_") && !out.isEmpty {
                out.append(UInt8(ascii: "_"))
            }
        }
        while out.count > 1, out.last == UInt8(ascii: "_") { out.removeLast() }
        if out.isEmpty { return "_" }
        if out[0] >= UInt8(ascii: "0") && out[0] <= UInt8(ascii: "9") { out.insert(UInt8(ascii: "_"), at: 0) }
        return String(decoding: out, as: UTF8.self)
    }
}

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
