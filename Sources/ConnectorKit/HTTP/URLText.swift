/// URL text helpers: origins, joining, query strings.
public enum URLText {
    /// `scheme://host:port` with the default port made explicit, lower-cased; nil if not absolute.
    /// Asked of every request's URL (credentials go only to their own origin): an ASCII URL is
    /// read as bytes, others as characters (a host's non-ASCII letters lower-case as Unicode says).
    public static func origin(_ url: String) -> String? {
        if let ascii = url.utf8.withContiguousStorageIfAvailable(asciiOrigin), let answer = ascii { return answer }
        return unicodeOrigin(url)
    }

    /// `origin` of a URL whose scheme and authority are ASCII; nil when they are not (the
    /// answer's own nil: no `://`).
    private static func asciiOrigin(_ url: UnsafeBufferPointer<UInt8>) -> String?? {
        let colon = UInt8(ascii: ":"), slash = UInt8(ascii: "/")
        var schemeEnd = 0
        while schemeEnd + 2 < url.count,
            !(url[schemeEnd] == colon && url[schemeEnd + 1] == slash && url[schemeEnd + 2] == slash)
        {
            if url[schemeEnd] >= 0x80 { return nil }
            schemeEnd += 1
        }
        guard schemeEnd + 2 < url.count else { return url.contains { $0 >= 0x80 } ? nil : .some(nil) }
        var hostStart = schemeEnd + 3, end = hostStart
        while end < url.count, url[end] != slash, url[end] != UInt8(ascii: "?"), url[end] != UInt8(ascii: "#") {
            if url[end] >= 0x80 { return nil }
            if url[end] == UInt8(ascii: "@") { hostStart = end + 1 }
            end += 1
        }
        var out: [UInt8] = []
        out.reserveCapacity(schemeEnd + 3 + end - hostStart + 4)
        for byte in url[0..<schemeEnd] { out.append(asciiLowercased(byte)) }
        let isHTTPS = out.elementsEqual("https".utf8)
        out.append(contentsOf: "://".utf8)
        var hasColon = false, bracketColon = false
        for i in hostStart..<end {
            out.append(asciiLowercased(url[i]))
            hasColon = hasColon || url[i] == colon
            bracketColon = bracketColon || (url[i] == colon && i > hostStart && url[i - 1] == UInt8(ascii: "]"))
        }
        let bracketed = end > hostStart && url[hostStart] == UInt8(ascii: "[")
        if !hasColon || (bracketed && !bracketColon) { out.append(contentsOf: (isHTTPS ? ":443" : ":80").utf8) }
        return .some(String(decoding: out, as: UTF8.self))
    }

    private static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
    }

    private static func unicodeOrigin(_ url: String) -> String? {
        guard let schemeEnd = url.firstByteRange(of: "://") else { return nil }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        var rest = url[schemeEnd.upperBound...]
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        var host = rest.lowercased()
        if !host.containsBytes(":") || (host.hasPrefix("[") && !host.containsBytes("]:")) {
            host += scheme == "https" ? ":443" : ":80"
        }
        return "\(scheme)://\(host)"
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
