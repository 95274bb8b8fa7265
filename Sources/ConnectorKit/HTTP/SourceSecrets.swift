/// What of a source is secret, beyond the values the loader collects: the forms credentials
/// take on the wire, parameters that carry a secret, and so the names a checkpoint or a
/// request to another origin must not keep.
extension SourceSpec {
    /// Every auth of the source (the client's and the endpoints' overrides).
    var allAuths: [AuthSpec] { [client.auth].compactMap { $0 } + resources.compactMap(\.endpoint.auth) }

    /// Secrets derived from the configured ones: `user:password` of basic auth and the OAuth 2
    /// client's `id:secret` sent to its token URL (their base64 forms go on the wire), and parameters from a variable whose names say credential
    /// (`api_token: ${TOKEN}`).
    public func derivedSecrets() -> [String] {
        var values: [String] = []
        for case .httpBasic(let user, let password) in allAuths {
            values.append(user.value + ":" + password.value)
        }
        for case .oauth2ClientCredentials(let oauth) in allAuths where oauth.clientAuth == .basic {
            values.append(
                SecretForms.formEncoded(oauth.clientID.value) + ":" + SecretForms.formEncoded(oauth.clientSecret.value))
        }
        for resource in resources {
            for (name, value) in resource.endpoint.params {
                guard case .value(let v) = value, v.fromEnvironment, Redactor.looksSensitive(name) else { continue }
                values.append(v.value)
            }
        }
        return values.filter { !$0.isEmpty }
    }

    /// Names of query parameters that carry a secret: auth query parameters, and endpoint
    /// parameters whose configured value holds one of `secrets`.
    public func secretParameterNames(secrets: Set<String>) -> [String] {
        var names: [String] = []
        for case .apiKey(let credentials) in allAuths {
            names += credentials.filter { $0.location == .query }.map(\.name)
        }
        let redactor = Redactor(secrets: secrets)
        for resource in resources {
            for (name, value) in resource.endpoint.params {
                if case .value(let v) = value, redactor.carriesSecret(v.value) { names.append(name) }
            }
        }
        return names
    }
}
