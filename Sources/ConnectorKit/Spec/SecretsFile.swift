import Foundation

/// `.connector/secrets.yaml`: `NAME: value` pairs that stand in for environment variables
/// (the environment wins). Refused, with the reason, when group or others may read it.
public enum SecretsFile {
    public static func path(inProject directory: String) -> String {
        (directory as NSString).appendingPathComponent(".connector/secrets.yaml")
    }

    /// The variables in the project's secrets file; empty when there is none.
    public static func load(projectDirectory directory: String) throws(SpecError) -> [String: String] {
        let path = path(inProject: directory)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return [:] }
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
        if mode & 0o077 != 0 {
            throw SpecError(
                "\(path) is readable by group or others (mode \(String(mode, radix: 8))); secrets files must be private: chmod 600 \(path)",
                at: SpecLocation(file: path, line: 1, column: 1))
        }
        let text = try SpecLoader.read(path)
        guard let root = try YAMLDocument.parse(text, file: path) else { return [:] }
        let reader = try MappingReader(root, context: "the secrets file", interpolator: Interpolator(environment: [:]))
        var values: [String: String] = [:]
        for entry in reader.entries {
            guard case .scalar(let value, _, _) = entry.value else {
                throw SpecError("secret '\(entry.key)' must be a plain string", at: entry.value.location)
            }
            values[entry.key] = value
        }
        return values
    }
}
