/// Where a paginator writes its value (cursor, offset, limit, page) into the next request: a
/// query parameter, or a field of the JSON body — POST search endpoints (an `after`
/// or `start_cursor` member) page through their body.
enum PageSlot: Sendable, CustomStringConvertible {
    case param(String)
    case body(JSONPath)

    /// The body path when one is declared, else the parameter.
    init(param: String, bodyPath: String?) {
        self = bodyPath.map { .body(JSONPath($0)) } ?? .param(param)
    }

    /// `request` with `value` in this slot; `numeric` writes it into a body as a JSON number
    /// (offsets, pages, a cursor the API gave as a number), else as a string.
    func set(_ value: String, numeric: Bool, in request: PageRequest) -> PageRequest {
        switch self {
        case .param(let name): return request.setting(name, value)
        case .body(let path):
            var copy = request
            let literal = numeric ? value : JSONText.quote(value)
            copy.body = JSONBodyEdit.setting(path.steps.map(\.key), to: literal, in: request.body)
            return copy
        }
    }

    var description: String {
        switch self {
        case .param(let name): return "parameter '\(name)'"
        case .body(let path): return "JSON body at '\(path)'"
        }
    }
}

extension JSONPath.Step {
    /// The step as an object key (an index step is the key of that name).
    var key: String {
        switch self {
        case .key(let k): return k
        case .index(let i): return String(i)
        }
    }
}

/// Sets one field of a JSON body, keeping every other member as it was (in its order): the
/// body is parsed and written out again, objects on the way to the field made when missing.
enum JSONBodyEdit {
    /// `body` (nil or empty: `{}`) with the JSON `literal` at `keys`. The spec reader makes sure
    /// the body of a paginator that writes into it is an object; anything else is replaced.
    static func setting(_ keys: [String], to literal: String, in body: [UInt8]?) -> [UInt8] {
        let parser = JSONParser()
        let root = body.flatMap { bytes in bytes.isEmpty ? nil : try? parser.parse(bytes) }
        var out = ""
        write(root, keys: keys[...], literal: literal, into: &out)
        return Array(out.utf8)
    }

    private static func write(_ value: JSONValue?, keys: ArraySlice<String>, literal: String, into out: inout String) {
        guard let key = keys.first else {
            out += literal
            return
        }
        out += "{"
        var found = false
        var first = true
        if let value, value.kind == .object {
            for member in value.members {
                let name = String(decoding: member.key, as: UTF8.self)
                out += (first ? "" : ",") + JSONText.quote(name) + ":"
                first = false
                if name == key {
                    found = true
                    write(member.value, keys: keys.dropFirst(), literal: literal, into: &out)
                } else {
                    out += member.value.jsonText
                }
            }
        }
        if !found {
            out += (first ? "" : ",") + JSONText.quote(key) + ":"
            write(nil, keys: keys.dropFirst(), literal: literal, into: &out)
        }
        out += "}"
    }
}
