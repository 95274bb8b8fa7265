/// `destinations/<name>.yaml`: a destination type and its options. The type is any name a
/// `DestinationFactory` is registered under (`DestinationRegistry`), which also checks the options.
public struct DestinationSpec: Sendable {
    /// The types built into the `connector` binary; a package running the CLI may register more.
    public enum Kind: String, Sendable, CaseIterable { case sqlite, postgres, files, singer }
    public var name: String
    /// The `type:` value, with where it was written (for the registry's "unknown type" error).
    public var type: ConfigString
    /// Every other key of the file, expanded (e.g. `path`, `url`, `format`).
    public var options: [String: ConfigString]
    /// Options written as a list or a mapping (a Singer target's `command` and `config`).
    public var trees: [String: ConfigTree] = [:]
    public var location: SpecLocation

    public init(name: String, type: ConfigString, options: [String: ConfigString], location: SpecLocation) {
        self.name = name
        self.type = type
        self.options = options
        self.location = location
    }

    /// An option with `{pipeline}` filled in.
    public func option(_ key: String, pipeline: String) -> String? {
        options[key]?.value.replacingPlaceholder("pipeline", with: pipeline)
    }
}

extension DestinationSpec {
    /// The one key every destination file has; every other key is an option of its type.
    static let keys = ["type"]

    /// Reads `destinations/<name>.yaml`: `type`, and the rest as options. Whether the type is
    /// registered, and its options known, is the `DestinationRegistry`'s check.
    static func read(_ root: YAMLNode, name: String, interpolator: Interpolator) throws(SpecError) -> DestinationSpec {
        var reader = try MappingReader(root, context: "destination '\(name)'", keys: keys, interpolator: interpolator)
        guard let type = try reader.string("type") else {
            let builtIn = Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw SpecError(
                "destination '\(name)' needs 'type' (built in: \(builtIn); or a type your build registers)",
                at: reader.location)
        }
        var options: [String: ConfigString] = [:]
        var trees: [String: ConfigTree] = [:]
        for entry in reader.entries where entry.key != "type" {
            if case .scalar = entry.value {
                options[entry.key] = try reader.string(entry.value, "'\(entry.key)' of destination '\(name)'")
            } else {
                trees[entry.key] = try ConfigTree.read(entry.value, interpolator: interpolator)
            }
        }
        var spec = DestinationSpec(name: name, type: type, options: options, location: reader.location)
        spec.trees = trees
        return spec
    }
}

extension String {
    func replacingPlaceholder(_ name: String, with value: String) -> String {
        var out = ""
        var rest = Substring(self)
        let token = "{\(name)}"
        while let r = rest.range(of: token) {
            out += rest[..<r.lowerBound]
            out += value
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
