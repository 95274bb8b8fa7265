import Foundation

/// Removes secrets from anything that may be shown or stored: URLs, messages, logs.
/// Known secret values are replaced in every form they can take (see `SecretForms`); query
/// parameters that carry a secret by name (the auth query parameters of the spec) or whose
/// names look like credentials are masked even when their values are unknown.
public struct Redactor: Sendable {
    public let secrets: [String]
    /// Every written form of every secret, longest first.
    let forms: [String]
    /// Lower-cased names of query parameters that carry a secret (e.g. `api_key`).
    public let secretParameters: Set<String>
    /// Secrets met during the run (a fetched access token), shared by every copy of this redactor.
    let learned = LearnedSecrets()
    static let sensitiveNames = [
        "key", "token", "secret", "password", "passwd", "signature", "sig", "auth", "credential",
        "apikey", "partnerkey",
    ]
    /// Shorter values would mangle ordinary text and are not credentials anyway.
    static let minimumLength = 4

    public init(secrets: some Sequence<String>, secretParameters: some Sequence<String> = [String]()) {
        self.secrets = Array(Set(secrets.filter { $0.count >= Self.minimumLength })).sorted { $0.count > $1.count }
        // Longest first (in bytes, as the first pass matches) so a secret containing another is
        // replaced whole.
        self.forms = Array(Set(self.secrets.flatMap(SecretForms.of)))
            .sorted { $0.utf8.count > $1.utf8.count || ($0.utf8.count == $1.utf8.count && $0 < $1) }
        self.secretParameters = Set(secretParameters.map { $0.lowercased() })
    }

    /// A parameter name that reads like a credential (`api_key`, `access_token`).
    static func looksSensitive(_ name: String) -> Bool {
        let lower = name.lowercased()
        return sensitiveNames.contains { lower.contains($0) }
    }

    /// Masks a secret that appears only while the run goes (an access token), from now on,
    /// wherever this redactor or a copy of it is used.
    public func learn(_ secret: String) { learned.learn(secret) }

    /// Every form to mask, longest first: the configured ones and the learned ones.
    private var allForms: [String] {
        let extra = learned.forms
        return extra.isEmpty ? forms : (forms + extra).sorted { $0.utf8.count > $1.utf8.count }
    }

    public func redact(_ text: String) -> String {
        var out = text
        let asciiText = Self.isASCII(text)  // replacing with "***" keeps ASCII text ASCII
        for form in allForms {
            if out.containsBytes(of: form) { out = out.replacingBytes(of: form, with: "***") }
            if Self.mayHoldEquivalent(asciiText, form), out.contains(form) { out = out.replacingAll(form, with: "***") }
        }
        return out
    }

    /// True when `text` holds a known secret in any form.
    public func carriesSecret(_ text: String) -> Bool {
        let asciiText = Self.isASCII(text)
        return allForms.contains {
            text.containsBytes(of: $0) || (Self.mayHoldEquivalent(asciiText, $0) && text.contains($0))
        }
    }

    /// Only Foundation's search finds a form spelled in other bytes that are canonically equivalent
    /// (a decomposed `é`, a Kelvin sign for `K`); ASCII text cannot spell an ASCII form so, and most
    /// text is ASCII (URLs, JSON): the exact byte search alone then answers, at a fraction of the cost.
    static func isASCII(_ text: String) -> Bool { text.utf8.allSatisfy { $0 < 0x80 } }

    /// Whether Foundation's search is needed for `form` in a text (ASCII or not): not for ASCII in
    /// ASCII, and never for a form holding NUL, which Foundation's search on Linux can abort the
    /// process over (its exact bytes are replaced all the same).
    static func mayHoldEquivalent(_ asciiText: Bool, _ form: String) -> Bool {
        !(asciiText && isASCII(form)) && !form.utf8.contains(0)
    }

    /// True for a query parameter that carries a secret by name.
    public func isSecretParameter(_ name: String) -> Bool {
        secretParameters.contains(name.lowercased())
    }

    /// A URL safe to print: known secrets, secret parameters and credential-like query values masked.
    public func redactURL(_ url: String) -> String {
        let text = redact(url)
        guard let q = text.utf8.firstIndex(of: UInt8(ascii: "?")) else { return text }
        let pairs = text[text.index(after: q)...].split(separator: "&").map { pair -> String in
            let name = URLText.parameterName(pair)
            guard let eq = pair.firstIndex(of: "="), isSecretParameter(name) || Self.looksSensitive(name) else {
                return String(pair)
            }
            return pair[..<eq] + "=***"
        }
        return text[..<q] + "?" + pairs.joined(separator: "&")
    }
}

extension String {
    /// Whether `needle`'s UTF-8 bytes occur in this string's: an exact byte search. Foundation's
    /// `contains` searches by locale-aware comparison (a CFString search a call), most of the cost
    /// of redacting a log line; the forms redacted are the exact bytes that went out.
    func containsBytes(of needle: String) -> Bool {
        var haystack = self
        var needle = needle
        return haystack.withUTF8 { h in needle.withUTF8 { n in Self.offset(of: n, in: h, from: 0) != nil } }
    }

    /// Every occurrence of `target`'s UTF-8 bytes replaced, left to right, wherever it sits (even
    /// inside a character, such as before a combining mark, which Foundation's search passes over).
    func replacingBytes(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var haystack = self
        var target = target
        let out: [UInt8] = haystack.withUTF8 { h in
            target.withUTF8 { n in
                var out: [UInt8] = []
                out.reserveCapacity(h.count)
                var from = 0
                while let hit = Self.offset(of: n, in: h, from: from) {
                    out += h[from..<hit]
                    out += replacement.utf8
                    from = hit + n.count
                }
                out += h[from...]
                return out
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Where `needle` first occurs in `haystack` at or after `from` (memchr for its first byte, memcmp
    /// for the rest); an empty needle occurs at `from`.
    private static func offset(
        of needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, from: Int
    ) -> Int? {
        guard !needle.isEmpty else { return from }
        guard let hb = haystack.baseAddress, let nb = needle.baseAddress else { return nil }
        let (start, last) = (UnsafeRawPointer(hb), haystack.count - needle.count)
        var from = from
        while from <= last, let hit = memchr(start + from, Int32(needle[0]), last - from + 1) {
            if memcmp(hit, nb, needle.count) == 0 { return start.distance(to: hit) }
            from = start.distance(to: hit) + 1
        }
        return nil
    }

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
