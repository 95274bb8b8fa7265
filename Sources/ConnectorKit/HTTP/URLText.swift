/// URL text helpers: origins, joining, query strings.
public enum URLText {
    /// `scheme://host:port` with the default port made explicit, lower-cased; nil if not absolute.
    /// Asked of every request's URL (credentials go only to their own origin), so it is read as
    /// bytes: every delimiter is ASCII, and only text with other bytes is lower-cased as Unicode says.
    public static func origin(_ url: String) -> String? {
        if let found = url.utf8.withContiguousStorageIfAvailable(origin(of:)) { return found }
        return Array(url.utf8).withUnsafeBufferPointer(origin(of:))
    }

    private static func origin(of url: UnsafeBufferPointer<UInt8>) -> String? {
        let colon = UInt8(ascii: ":"), slash = UInt8(ascii: "/")
        var schemeEnd = 0
        while true {
            guard schemeEnd + 2 < url.count else { return nil }
            if url[schemeEnd] == colon, url[schemeEnd + 1] == slash, url[schemeEnd + 2] == slash { break }
            schemeEnd += 1
        }
        var hostStart = schemeEnd + 3, end = hostStart
        while end < url.count, url[end] != slash, url[end] != UInt8(ascii: "?"), url[end] != UInt8(ascii: "#") {
            if url[end] == UInt8(ascii: "@") { hostStart = end + 1 }
            end += 1
        }
        let scheme = lowercased(url[0..<schemeEnd])
        var host = lowercased(url[hostStart..<end])
        if !host.containsBytes(":") || (host.hasPrefix("[") && !host.containsBytes("]:")) {
            host += scheme == "https" ? ":443" : ":80"
        }
        return scheme + "://" + host
    }

    private static func lowercased(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        guard bytes.allSatisfy({ $0 < 0x80 }) else { return String(decoding: bytes, as: UTF8.self).lowercased() }
        // Written in place: `String(decoding:)` of a lazy map took a dynamic cast a call (~4k instructions).
        return String(unsafeUninitializedCapacity: bytes.count) { out in
            for (i, byte) in zip(out.indices, bytes) { out[i] = byte >= 65 && byte <= 90 ? byte + 32 : byte }
            return bytes.count
        }
    }

    public static func isAbsolute(_ url: String) -> Bool { url.hasPrefix("http://") || url.hasPrefix("https://") }

    /// `base` + `/` + `path`, unless `path` is already absolute.
    public static func join(_ base: String, _ path: String) -> String {
        if isAbsolute(path) { return path }
        if path.isEmpty { return base }
        let b = base.hasSuffix("/") ? String(base.dropLast()) : base
        let p = path.hasPrefix("/") ? String(path.dropFirst()) : path
        return b + "/" + p
    }

    /// Adds (or replaces) query parameters.
    public static func settingQuery(_ url: String, _ params: [(String, String)]) -> String {
        guard !params.isEmpty else { return url }
        let names = Set(params.map(\.0))
        var base = url
        var kept: [String] = []
        if let q = url.utf8.firstIndex(of: UInt8(ascii: "?")) {
            base = String(url[..<q])
            kept = url[url.index(after: q)...].split(separator: "&").map(String.init).filter { pair in
                let name = pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? pair
                return !names.contains(decode(name))
            }
        }
        let added = params.map { "\(encode($0.0))=\(encode($0.1))" }
        return base + "?" + (kept + added).joined(separator: "&")
    }

    /// The URL without the query parameters whose (decoded) names match.
    public static func removingQuery(_ url: String, where matches: (String) -> Bool) -> String {
        guard let q = url.utf8.firstIndex(of: UInt8(ascii: "?")) else { return url }
        let kept = url[url.index(after: q)...].split(separator: "&").filter { !matches(parameterName($0)) }
        return url[..<q] + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
    }

    /// The decoded name of one `name=value` pair of a query string.
    public static func parameterName(_ pair: some StringProtocol) -> String {
        decode(String(pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""))
    }

    public static func encode(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hexDigit(byte >> 4))
                out.append(hexDigit(byte & 15))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The uppercase hex digit of `nibble` (0…15), as percent-encoding writes it.
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") - 10 + nibble
    }

    public static func decode(_ s: String) -> String {
        var out: [UInt8] = []
        let b = Array(s.utf8)
        var i = 0
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48;
            case 65...70: return c - 55;
            case 97...102: return c - 87;
            default: return nil
            }
        }
        while i < b.count {
            if b[i] == 37, i + 2 < b.count, let h = hex(b[i + 1]), let l = hex(b[i + 2]) {
                out.append(h << 4 | l); i += 3
            } else if b[i] == 43 {
                out.append(32); i += 1
            } else {
                out.append(b[i]); i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
