import Foundation

/// The forms a secret can take in text, computed with Foundation (independently of the
/// engine's redactor, which they check).
enum SecretEncodings {
    static func forms(of secret: String) -> [(name: String, text: String)] {
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        let json = String(decoding: (try? JSONEncoder().encode(secret)) ?? Data(), as: UTF8.self).dropFirst().dropLast()
        let unreserved = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
        let percent = secret.addingPercentEncoding(withAllowedCharacters: unreserved) ?? secret
        let form =
            (secret.addingPercentEncoding(withAllowedCharacters: unreserved.union(.init(charactersIn: " "))) ?? secret)
            .replacingOccurrences(of: " ", with: "+")
        return [
            ("raw", secret), ("trimmed", trimmed), ("escaped", String(json)),
            ("debug", String(secret.debugDescription.dropFirst().dropLast())),
            ("percent", percent), ("percent-lower", lowerHex(percent)), ("form", form),
            ("base64", Data(secret.utf8).base64EncodedString()),
        ].filter { $0.1.count >= 4 }.reduce(into: [(name: String, text: String)]()) { kept, form in
            if !kept.contains(where: { $0.text == form.1 }) { kept.append((form.0, form.1)) }
        }
    }

    static func lowerHex(_ s: String) -> String {
        var out = ""
        var pending = 0
        for c in s {
            if c == "%" { pending = 2; out.append(c); continue }
            out += pending > 0 ? c.lowercased() : String(c)
            pending = max(0, pending - 1)
        }
        return out
    }

    /// "<where>: secret #n (<forms found>)" for every secret found in `text` in some form.
    static func leaks(of secrets: [String], in text: String, at place: String) -> [String] {
        secrets.enumerated().compactMap { n, secret in
            let found = forms(of: secret).filter { text.contains($0.text) }.map(\.name)
            return found.isEmpty ? nil : "\(place): secret #\(n + 1) (\(found.joined(separator: ", ")))"
        }
    }
}
