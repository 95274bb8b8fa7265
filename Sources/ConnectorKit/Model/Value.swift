/// One cell. Timestamps and JSON travel as text; their column type says what they are.
public enum Value: Sendable, Hashable {
    case null
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case text(String)

    public var textValue: String? {
        switch self {
        case .null: return nil
        case .int(let i): return String(i)
        case .double(let d): return "\(d)"
        case .bool(let b): return b ? "true" : "false"
        case .text(let s): return s
        }
    }
}
