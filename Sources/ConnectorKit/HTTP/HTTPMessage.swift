/// A request before credentials are added.
public struct HTTPRequest: Sendable {
    public var method: String
    public var url: String
    public var headers: [(String, String)]
    public var body: [UInt8]?

    public init(method: String = "GET", url: String, headers: [(String, String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// A complete response. Bodies are read whole, one page at a time.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Attempts it took to get this answer (set by the retry step; redirects do not count).
    public var attempts = 1

    public init(status: Int, headers: [(String, String)], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        headers.first { HeaderName.same($0.0, name) }?.1
    }
}

/// URL text helpers: origins, joining, query strings.
public enum URLText {
    /// `scheme://host:port` with the default port made explicit, lower-cased; nil if not absolute.
    public static func origin(_ url: String) -> String? {
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
        if let q = url.firstIndex(of: "?") {
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
        guard let q = url.firstIndex(of: "?") else { return url }
        let kept = url[url.index(after: q)...].split(separator: "&").filter { !matches(parameterName($0)) }
        return url[..<q] + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))
    }

    /// The decoded name of one `name=value` pair of a query string.
    public static func parameterName(_ pair: some StringProtocol) -> String {
        decode(String(pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""))
    }

    public static func encode(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 15)])
            }
        }
        return out
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
