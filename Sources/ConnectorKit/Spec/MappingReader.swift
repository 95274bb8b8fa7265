/// Reads one YAML mapping of a spec: typed getters that point at the offending value, and a
/// final check that every key is one this place accepts (with a "did you mean").
///
/// The keys a place accepts are its key table, declared once next to its reader (e.g.
/// `ClientSpec.keys`) and listed in `SpecKeys.all`: the unknown-key error names them, and the
/// reference test checks `docs/reference.md` against them. Free-form maps (headers, params)
/// have no table and read `entries`.
struct MappingReader {
    let node: YAMLNode
    let context: String
    let interpolator: Interpolator
    private let pairs: [(key: String, keyLocation: SpecLocation, value: YAMLNode)]
    private var allowed: [String] = []

    /// `keys`: this place's key table (empty for a free-form map, which is never `finish`ed).
    init(_ node: YAMLNode, context: String, keys: [String] = [], interpolator: Interpolator) throws(SpecError) {
        guard case .mapping(let pairs, _) = node else {
            throw SpecError("\(context) must be a mapping, found \(node.kindName)", at: node.location)
        }
        self.node = node
        self.context = context
        self.interpolator = interpolator
        self.pairs = pairs
        self.allowed = keys
    }

    var location: SpecLocation { node.location }

    /// Reads a nested mapping with the same variables.
    func reader(_ node: YAMLNode, context: String, keys: [String] = []) throws(SpecError) -> MappingReader {
        try MappingReader(node, context: context, keys: keys, interpolator: interpolator)
    }

    /// Widens the key table once a choice is known (a paginator's `type` decides its other keys).
    mutating func accept(_ keys: [String]) { allowed += keys }

    /// The node of a key of the key table, if present (nulls count as absent).
    mutating func take(_ key: String) -> YAMLNode? {
        assert(allowed.contains(key), "'\(key)' is read in \(context) but missing from its key table")
        guard let value = pairs.first(where: { $0.key == key })?.value, !value.isNull else { return nil }
        return value
    }

    mutating func keyLocation(_ key: String) -> SpecLocation {
        pairs.first(where: { $0.key == key })?.keyLocation ?? location
    }

    /// Every pair, for free-form maps (params, headers, tables).
    var entries: [(key: String, keyLocation: SpecLocation, value: YAMLNode)] { pairs }

    /// Throws for a key that is not in the key table, naming the valid keys.
    func finish() throws(SpecError) {
        for pair in pairs where !allowed.contains(pair.key) {
            var message = "unknown key '\(pair.key)' in \(context)"
            if let hint = Suggest.nearest(pair.key, in: allowed) { message += "; did you mean '\(hint)'?" }
            message += " Valid keys: \(allowed.joined(separator: ", "))"
            throw SpecError(message, at: pair.keyLocation)
        }
    }

    // MARK: typed getters

    func string(_ node: YAMLNode, _ what: String) throws(SpecError) -> ConfigString {
        guard case .scalar(let s, _, let loc) = node else {
            throw SpecError("\(what) must be a string, found \(node.kindName)", at: node.location)
        }
        return try interpolator.expand(s, at: loc)
    }

    mutating func string(_ key: String) throws(SpecError) -> ConfigString? {
        guard let n = take(key) else { return nil }
        return try string(n, "'\(key)' in \(context)")
    }

    mutating func requiredString(_ key: String) throws(SpecError) -> ConfigString {
        guard let s = try string(key) else { throw SpecError("\(context) needs '\(key)'", at: location) }
        return s
    }

    mutating func int(_ key: String, range: ClosedRange<Int>? = nil) throws(SpecError) -> Int? {
        guard let s = try string(key) else { return nil }
        guard let v = Int(s.value) else {
            throw SpecError("'\(key)' in \(context) must be a whole number, found '\(s.value)'", at: s.location)
        }
        if let range, !range.contains(v) {
            throw SpecError(
                "'\(key)' in \(context) must be between \(range.lowerBound) and \(range.upperBound), found \(v)",
                at: s.location)
        }
        return v
    }

    mutating func double(_ key: String) throws(SpecError) -> Double? {
        guard let s = try string(key) else { return nil }
        guard let v = Double(s.value), v >= 0 else {
            throw SpecError("'\(key)' in \(context) must be a non-negative number, found '\(s.value)'", at: s.location)
        }
        return v
    }

    mutating func bool(_ key: String) throws(SpecError) -> Bool? {
        guard let s = try string(key) else { return nil }
        switch s.value.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw SpecError("'\(key)' in \(context) must be true or false, found '\(s.value)'", at: s.location)
        }
    }

    /// Seconds from `5`, `5s`, `250ms`, `10m`, `1h`.
    mutating func duration(_ key: String) throws(SpecError) -> Double? {
        guard let s = try string(key) else { return nil }
        if let seconds = DurationText.seconds(s.value) { return seconds }
        throw SpecError(
            "'\(key)' in \(context) must be a duration like 5s, 250ms, 10m, 1d; found '\(s.value)'", at: s.location)
    }

    /// One of a fixed set of words; the error lists them.
    mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) throws(SpecError) -> T?
    where T.RawValue == String {
        guard let s = try string(key) else { return nil }
        return try Self.choice(s, type, what: "'\(key)' in \(context)")
    }

    static func choice<T: RawRepresentable & CaseIterable>(_ s: ConfigString, _ type: T.Type, what: String)
        throws(SpecError) -> T where T.RawValue == String
    {
        if let v = T(rawValue: s.value) { return v }
        let choices = T.allCases.map(\.rawValue)
        var message = "\(what) is '\(s.value)', which is not one of: \(choices.joined(separator: ", "))"
        if let hint = Suggest.nearest(s.value, in: choices) { message += "; did you mean '\(hint)'?" }
        throw SpecError(message, at: s.location)
    }

    /// A list of strings written as a YAML list or as one comma-separated string.
    mutating func stringList(_ key: String) throws(SpecError) -> [ConfigString]? {
        guard let n = take(key) else { return nil }
        return try stringList(n, "'\(key)' in \(context)")
    }

    func stringList(_ node: YAMLNode, _ what: String) throws(SpecError) -> [ConfigString] {
        switch node {
        case .sequence(let items, _):
            var out: [ConfigString] = []
            for item in items { out.append(try string(item, what)) }
            return out
        case .scalar:
            let s = try string(node, what)
            return s.value.split(separator: ",").map { part in
                ConfigString(part.trimmingSpaces, at: s.location, fromEnvironment: s.fromEnvironment)
            }.filter { !$0.value.isEmpty }
        case .mapping:
            throw SpecError("\(what) must be a list, found a mapping", at: node.location)
        }
    }

    /// The mapping under `key`, read with its own key table (none for a free-form map).
    mutating func mapping(_ key: String, keys: [String] = []) throws(SpecError) -> MappingReader? {
        guard let n = take(key) else { return nil }
        return try MappingReader(n, context: "'\(key)' of \(context)", keys: keys, interpolator: interpolator)
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return String(s)
    }
}
