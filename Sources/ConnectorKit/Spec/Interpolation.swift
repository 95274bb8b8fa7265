/// A string from a spec file after `${VAR}` / `${VAR:-default}` expansion, remembering which
/// variables were missing, so that only using it (not its mere presence) is an error.
public struct ConfigString: Sendable, Hashable, CustomStringConvertible {
    public let value: String
    public let location: SpecLocation
    /// Variables referenced without a default and not set.
    public let missingVariables: [String]
    /// True when any part came from the environment.
    public let fromEnvironment: Bool

    public init(_ value: String, at location: SpecLocation, missing: [String] = [], fromEnvironment: Bool = false) {
        self.value = value
        self.location = location
        self.missingVariables = missing
        self.fromEnvironment = fromEnvironment
    }

    public var description: String { value }
    public var isSet: Bool { missingVariables.isEmpty }

    /// The value, or an error naming the unset variable and where it is used.
    public func required(_ what: String) throws(SpecError) -> String {
        if let name = missingVariables.first {
            throw SpecError("environment variable \(name) is not set (needed for \(what))", at: location)
        }
        return value
    }
}

/// Expands `${NAME}` and `${NAME:-default}` against an environment.
public struct Interpolator: Sendable {
    public let environment: [String: String]

    public init(environment: [String: String]) { self.environment = environment }

    public func expand(_ text: String, at location: SpecLocation) throws(SpecError) -> ConfigString {
        guard text.containsBytes("${") else { return ConfigString(text, at: location) }
        var out = ""
        var missing: [String] = []
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            out += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw SpecError("unterminated '${' in \"\(text)\"; write ${NAME} or ${NAME:-default}", at: location)
            }
            let body = rest[start.upperBound..<end]
            let name: Substring, fallback: Substring?
            if let sep = body.range(of: ":-") {
                name = body[..<sep.lowerBound]
                fallback = body[sep.upperBound...]
            } else {
                name = body
                fallback = nil
            }
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw SpecError(
                    "'${\(body)}' is not a variable reference; names use letters, digits and _", at: location)
            }
            if let value = environment[String(name)], !value.isEmpty {
                out += value
            } else if let fallback {
                out += fallback
            } else {
                missing.append(String(name))
            }
            rest = rest[rest.index(after: end)...]
        }
        out += rest
        return ConfigString(out, at: location, missing: missing, fromEnvironment: true)
    }
}

extension Substring {
    func range(of needle: String) -> Range<Substring.Index>? {
        guard !needle.isEmpty, count >= needle.count else { return nil }
        var i = startIndex
        while i < endIndex {
            if self[i...].hasPrefix(needle) { return i..<index(i, offsetBy: needle.count) }
            i = index(after: i)
        }
        return nil
    }
}
