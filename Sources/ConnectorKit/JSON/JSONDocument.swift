import CSimdJSON

/// A simdjson parser. Values it hands out stay valid until it parses again, so each task
/// that walks pages owns one.
public final class JSONParser {
    private let raw: OpaquePointer

    public init() {
        guard let p = csj_parser_new() else { fatalError("simdjson: out of memory creating a parser") }
        raw = p
    }

    deinit { csj_parser_free(raw) }

    /// Parses a whole response body.
    public func parse(_ bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        var root = csj_value()
        var message: UnsafePointer<CChar>?
        let base = bytes.baseAddress?.assumingMemoryBound(to: CChar.self)
        let code = csj_parse(raw, base ?? UnsafePointer(bitPattern: 1), bytes.count, &root, &message)
        guard code == 0 else { throw JSONParseError(message: message.map { String(cString: $0) } ?? "error \(code)") }
        return JSONValue(raw: root)
    }

    public func parse(_ bytes: [UInt8]) throws(JSONParseError) -> JSONValue {
        let result: Result<JSONValue, JSONParseError> = bytes.withUnsafeBytes { buffer in
            do throws(JSONParseError) { return .success(try parse(buffer)) } catch { return .failure(error) }
        }
        return try result.get()
    }
}

public struct JSONParseError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { "invalid JSON: \(message)" }
}

/// One value inside a parsed document, borrowed from its parser: valid while that parser is
/// alive and has not parsed again (kept this way so the record walk does no reference counting).
public struct JSONValue {
    let raw: csj_value

    /// `decimal`: a number that neither `int`, `uint` nor `double` holds exactly (an id above
    /// 2^64, more digits than a double keeps, 1e400), kept as the text the document wrote.
    public enum Kind: Equatable, Sendable { case null, bool, int, uint, double, decimal, string, array, object }

    public var kind: Kind {
        switch csj_type_of(raw) {
        case CSJ_BOOL: return .bool
        case CSJ_INT64: return .int
        case CSJ_UINT64: return .uint
        case CSJ_DOUBLE: return .double
        case CSJ_DECIMAL: return .decimal
        case CSJ_STRING: return .string
        case CSJ_ARRAY: return .array
        case CSJ_OBJECT: return .object
        default: return .null
        }
    }

    public var bool: Bool { csj_get_bool(raw) }
    public var int: Int64 { csj_get_int64(raw) }
    public var uint: UInt64 { csj_get_uint64(raw) }
    public var double: Double { csj_get_double(raw) }

    /// A `decimal`'s literal, exactly as the document wrote it.
    public var decimalText: String {
        var length = 0
        let p = csj_get_decimal(raw, &length)
        return p.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self) } ?? ""
    }

    public var string: String {
        var length = 0
        let p = csj_get_string(raw, &length)
        return p.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self) } ?? ""
    }

    /// The raw UTF-8 bytes of a string value, without copying.
    public func withStringBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var length = 0
        let p = csj_get_string(raw, &length)
        return try body(UnsafeRawBufferPointer(start: p, count: length))
    }

    public subscript(key: String) -> JSONValue? {
        var out = csj_value()
        let found =
            key.utf8.withContiguousStorageIfAvailable { buf in
                buf.withMemoryRebound(to: CChar.self) { csj_object_find(raw, $0.baseAddress, $0.count, &out) }
            }
            ?? {
                var k = key
                return k.withUTF8 { buf in
                    buf.withMemoryRebound(to: CChar.self) { csj_object_find(raw, $0.baseAddress, $0.count, &out) }
                }
            }()
        return found ? JSONValue(raw: out) : nil
    }

    public var count: Int { csj_count(raw) }

    public var elements: ArrayElements { ArrayElements(value: self) }
    public var members: ObjectMembers { ObjectMembers(value: self) }

    /// Scalar rendering used for parameters, cursors and keys (`nil` for containers and null).
    public var scalarText: String? {
        switch kind {
        case .string: return string
        case .int: return String(int)
        case .uint: return String(uint)
        case .double: return JSONValue.format(double)
        case .decimal: return decimalText
        case .bool: return bool ? "true" : "false"
        default: return nil
        }
    }

    static func format(_ d: Double) -> String {
        if d.isFinite, d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    /// Minified JSON text of this value.
    public var jsonText: String {
        var length = 0
        guard let p = csj_to_json(raw, &length) else { return "null" }
        defer { free(p) }
        return String(decoding: UnsafeRawBufferPointer(start: p, count: length), as: UTF8.self)
    }

    public struct ArrayElements: Sequence, IteratorProtocol {
        var iter = csj_iter()
        init(value: JSONValue) { csj_array_iter(value.raw, &iter) }
        public mutating func next() -> JSONValue? {
            var out = csj_value()
            return csj_array_next(&iter, &out) ? JSONValue(raw: out) : nil
        }
    }

    public struct ObjectMembers: Sequence, IteratorProtocol {
        var iter = csj_iter()
        init(value: JSONValue) { csj_object_iter(value.raw, &iter) }
        /// The key's bytes are borrowed from the document.
        public mutating func next() -> (key: UnsafeRawBufferPointer, value: JSONValue)? {
            var key: UnsafePointer<CChar>?
            var length = 0
            var out = csj_value()
            guard csj_object_next(&iter, &key, &length, &out) else { return nil }
            return (UnsafeRawBufferPointer(start: key, count: length), JSONValue(raw: out))
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
