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
                    if prev.properties.isLowercase || prev.properties.numericType != nil
                        || (isUpper(prev) && nextIsLower)
                    {
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
