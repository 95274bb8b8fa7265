/// Removes secrets from anything that may be shown or stored: URLs, messages, logs.
/// Known secret values are replaced wherever they appear; query parameters whose names
/// look like credentials are masked even when their values are unknown.
public struct Redactor: Sendable {
    public let secrets: [String]
    static let sensitiveNames = ["key", "token", "secret", "password", "passwd", "signature", "sig", "auth", "credential", "apikey", "partnerkey"]

    public init(secrets: some Sequence<String>) {
        // Longest first so a secret containing another is replaced whole; very short values
        // would mangle ordinary text and are not credentials anyway.
        self.secrets = Array(Set(secrets.filter { $0.count >= 4 })).sorted { $0.count > $1.count }
    }

    public func redact(_ text: String) -> String {
        var out = text
        for secret in secrets where out.contains(secret) {
            out = out.replacingAll(secret, with: "***")
            let encoded = URLText.encode(secret)
            if encoded != secret { out = out.replacingAll(encoded, with: "***") }
        }
        return out
    }

    /// A URL safe to print: known secrets and credential-like query values masked.
    public func redactURL(_ url: String) -> String {
        var text = redact(url)
        guard let q = text.firstIndex(of: "?") else { return text }
        let base = text[..<q]
        let pairs = text[text.index(after: q)...].split(separator: "&").map { pair -> String in
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = URLText.decode(String(kv[0])).lowercased()
            if kv.count > 1, Self.sensitiveNames.contains(where: { name.contains($0) }) { return "\(kv[0])=***" }
            return String(pair)
        }
        text = base + "?" + pairs.joined(separator: "&")
        return text
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}
