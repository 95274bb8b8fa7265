/// A request as the sandbox's routes see it: method, path, decoded query, headers, body.
public struct SandboxRequest: Sendable {
    public let method: String
    public let path: String
    public let query: [String: String]
    public let rawQuery: String
    public let headers: [String: String]  // lower-cased names
    public let body: [UInt8]
    /// `http://host:port` as the client addressed us, for absolute links.
    public let origin: String

    public init(method: String, uri: String, headers: [(String, String)], body: [UInt8], defaultOrigin: String) {
        self.method = method
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.path = parts.first.map { String($0).removingPercentEncodingLossy() } ?? "/"
        self.rawQuery = parts.count > 1 ? String(parts[1]) : ""
        var q: [String: String] = [:]
        for pair in rawQuery.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(kv[0]).removingPercentEncodingLossy()
            q[key] = kv.count > 1 ? String(kv[1]).removingPercentEncodingLossy() : ""
        }
        self.query = q
        var h: [String: String] = [:]
        for (name, value) in headers { h[name.lowercased()] = value }
        self.headers = h
        self.body = body
        self.origin = h["host"].map { "http://\($0)" } ?? defaultOrigin
    }
}

/// What a route answers.
public struct SandboxResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: [UInt8]
    /// Seconds to wait before answering (a slow response).
    public var delay: Double = 0
    /// Close the connection without answering (a dropped connection).
    public var drop = false

    public init(status: Int, headers: [(String, String)] = [], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    static func json(_ writer: JSONWriter, status: Int = 200) -> SandboxResponse {
        SandboxResponse(status: status, headers: [("Content-Type", "application/json")], body: writer.bytes)
    }

    /// Clari's `{"errors":[…]}` error shape.
    static func error(_ status: Int, code: String, message: String) -> SandboxResponse {
        var w = JSONWriter()
        w.beginObject(); w.key("errors"); w.beginArray(); w.beginObject()
        w.field("code", code); w.field("message", message); w.field("status", status)
        w.endObject(); w.endArray(); w.endObject()
        return json(w, status: status)
    }
}

extension String {
    /// Decodes `%XX` and `+`; invalid escapes are kept as written.
    func removingPercentEncodingLossy() -> String {
        var out: [UInt8] = []
        let b = Array(utf8)
        var i = 0
        func hex(_ c: UInt8) -> UInt8? {
            switch c {
            case 48...57: return c - 48
            case 65...70: return c - 55
            case 97...102: return c - 87
            default: return nil
            }
        }
        while i < b.count {
            if b[i] == UInt8(ascii: "%"), i + 2 < b.count, let h = hex(b[i + 1]), let l = hex(b[i + 2]) {
                out.append(h << 4 | l); i += 3
            } else if b[i] == UInt8(ascii: "+") {
                out.append(UInt8(ascii: " ")); i += 1
            } else {
                out.append(b[i]); i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Percent-encodes everything but unreserved characters, for query values in links.
    func percentEncodedForQuery() -> String {
        var out = ""
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }
}
