/// `destinations/<name>.yaml`: a destination type and its options.
public struct DestinationSpec: Sendable {
    public enum Kind: String, Sendable, CaseIterable { case sqlite, postgres, files }
    public var name: String
    public var kind: Kind
    /// Every other key of the file, expanded (e.g. `path`, `url`, `format`).
    public var options: [String: ConfigString]
    public var location: SpecLocation

    public init(name: String, kind: Kind, options: [String: ConfigString], location: SpecLocation) {
        self.name = name
        self.kind = kind
        self.options = options
        self.location = location
    }

    /// An option with `{pipeline}` filled in.
    public func option(_ key: String, pipeline: String) -> String? {
        options[key]?.value.replacingPlaceholder("pipeline", with: pipeline)
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
