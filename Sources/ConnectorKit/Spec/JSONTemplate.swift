/// A JSON body with `{placeholder}`s inside its strings.
public indirect enum JSONTemplate: Sendable {
    case object([(String, JSONTemplate)])
    case array([JSONTemplate])
    /// A string, and where it was written (for placeholder errors).
    case string(String, at: SpecLocation? = nil)
    case literal(String)  // number, true, false, null as written
}

extension JSONTemplate {
    /// A `json:` body as written: unquoted numbers, booleans and null stay literals.
    static func read(_ node: YAMLNode, interpolator: Interpolator) throws(SpecError) -> JSONTemplate {
        switch node {
        case .scalar(let s, let quoted, let loc):
            let v = try interpolator.expand(s, at: loc).value
            if !quoted && (v == "true" || v == "false" || v == "null" || Double(v) != nil) { return .literal(v) }
            return .string(v, at: loc)
        case .sequence(let items, _):
            var out: [JSONTemplate] = []
            for i in items { out.append(try read(i, interpolator: interpolator)) }
            return .array(out)
        case .mapping(let pairs, _):
            var out: [(String, JSONTemplate)] = []
            for p in pairs { out.append((p.key, try read(p.value, interpolator: interpolator))) }
            return .object(out)
        }
    }
}
