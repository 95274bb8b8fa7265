import Foundation

/// The type of one JSON scalar, and how a value moves into a column of another type: the rules
/// every table's columns are inferred and widened by.
extension RecordNormalizer {
    static func scalar(_ value: JSONValue) -> (DataType, Value) { scalar(value, kind: value.kind) }

    /// The same, for a value whose kind the caller already read (one call into simdjson less).
    static func scalar(_ value: JSONValue, kind: JSONValue.Kind) -> (DataType, Value) {
        switch kind {
        case .string:
            // The timestamp check reads the document's bytes, before the string is made.
            return value.withStringBytes { bytes in
                (looksLikeTimestamp(bytes) ? .timestamp : .text, .text(String(decoding: bytes, as: UTF8.self)))
            }
        case .int: return (.bigint, .int(value.int))
        case .uint:
            let u = value.uint
            return u <= UInt64(Int64.max) ? (.bigint, .int(Int64(u))) : (.decimal, .text(String(u)))
        case .double: return (.double, .double(value.double))
        case .decimal: return (.decimal, .text(value.decimalText))
        case .bool: return (.bool, .bool(value.bool))
        default: return (.json, .text(value.jsonText))
        }
    }

    static func type(of value: Value) -> DataType {
        switch value {
        case .int: return .bigint
        case .double: return .double
        case .bool: return .bool
        case .text(let s): return looksLikeTimestamp(s) ? .timestamp : .text
        case .null: return .text
        }
    }

    /// `value` in a column of `type` that accepts it: integers widen to doubles; numbers (and, in a
    /// text column declared with `columns:`, any scalar) become their exact text.
    static func coerce(_ value: Value, to type: DataType) -> Value {
        switch (type, value) {
        case (.double, .int(let i)): return .double(Double(i))
        case (.decimal, .int), (.decimal, .double), (.text, .int), (.text, .double), (.text, .bool):
            return .text(value.textValue ?? "")
        default: return value
        }
    }

    /// `YYYY-MM-DDTHH:MM` (or a space instead of T) at the start.
    static func looksLikeTimestamp(_ s: String) -> Bool {
        s.utf8.withContiguousStorageIfAvailable { looksLikeTimestamp(UnsafeRawBufferPointer($0)) }
            ?? Array(s.utf8).withUnsafeBytes { looksLikeTimestamp($0) }
    }

    /// The same check on UTF-8 bytes (a string value still in the parsed document).
    static func looksLikeTimestamp(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard bytes.count >= 16 else { return false }
        for i in 0..<16 {
            let c = bytes[i]
            let ok: Bool
            switch i {
            case 4, 7: ok = c == UInt8(ascii: "-")
            case 10: ok = c == UInt8(ascii: "T") || c == UInt8(ascii: " ")
            case 13: ok = c == UInt8(ascii: ":")
            default: ok = c >= 48 && c <= 57
            }
            if !ok { return false }
        }
        return true
    }
}
