extension SourceClient {
    /// The source's authenticator for one OAuth 2 token client, made on first use: every
    /// resource that names the same token URL, client and scopes shares its token.
    func tokenAuthenticator(_ spec: OAuth2ClientCredentialsSpec) throws(SpecError) -> OAuth2Authenticator {
        let tokenClient = try TokenClient(spec)
        return tokenAuthenticators.withLock { known in
            if let existing = known[tokenClient.identity] { return existing }
            let chain = tokenChain
            let made = OAuth2Authenticator(
                cache: TokenCache(client: tokenClient, clock: clock) { request, context throws(ExtractError) in
                    try await chain.send(request, context: context)
                })
            known[tokenClient.identity] = made
            return made
        }
    }
}
