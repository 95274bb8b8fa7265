/// Secrets the configuration does not hold but the run meets: an access token fetched from a
/// token URL. A reference shared by every copy of a `Redactor`, so once learned a token is
/// masked in every message, URL and log line, and stripped from a request to another origin.
final class LearnedSecrets: Sendable {
    private let box = LockedBox([String]())

    /// Every written form of every learned secret.
    var forms: [String] { box.withLock { $0 } }

    func learn(_ secret: String) {
        let new = SecretForms.of(secret)
        box.withLock { known in
            known += new.filter { !known.contains($0) }
        }
    }
}
