/// The ways one secret value can be written into text that is shown or stored: as it is,
/// without the whitespace a file left around it, escaped as JSON or Swift prints a string
/// (a trailing newline shows as `\n`), percent-encoded (upper or lower hex), form-encoded
/// (`+` for spaces) and base64 (as `Authorization: Basic` carries `user:password`).
enum SecretForms {
    static func of(_ secret: String) -> [String] {
        let trimmed = secret.trimmingSpaces
        var forms = [secret, trimmed]
        for value in Set([secret, trimmed]) {
            forms.append(escaped(value))
            forms.append(URLText.encode(value))
            forms.append(URLText.encode(value).lowercasedHexEscapes)
            forms.append(formEncoded(value))
            let base64 = Base64.encode(Array(value.utf8))
            forms.append(base64)
            forms.append(String(base64.reversed().drop { $0 == "=" }.reversed()))
        }
        var seen = Set<String>()
        return forms.filter { $0.count >= Redactor.minimumLength && seen.insert($0).inserted }
    }

    /// JSON / Swift string escaping (as a message quotes a value), without the quotes.
    static func escaped(_ value: String) -> String {
        String(JSONText.quote(value).dropFirst().dropLast())
    }

    /// `application/x-www-form-urlencoded`: spaces as `+`, everything else percent-encoded.
    static func formEncoded(_ value: String) -> String {
        URLText.encode(value).replacingAll("%20", with: "+")
    }
}

extension String {
    /// `%2F` → `%2f`: some servers and libraries write percent escapes in lower case.
    var lowercasedHexEscapes: String {
        var out = ""
        var pending = 0
        for c in self {
            if c == "%" { pending = 2; out.append(c); continue }
            out.append(pending > 0 ? Character(c.lowercased()) : c)
            pending = max(0, pending - 1)
        }
        return out
    }
}
