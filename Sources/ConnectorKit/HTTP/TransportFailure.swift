import AsyncHTTPClient

/// A request that got no complete answer: no connection, a dropped connection, a server that
/// stayed silent too long or took too long in all, a body over the limit, or a cancellation.
/// `sent` says whether the request reached the wire (only then is it counted as a request).
public struct TransportFailure: Error, Sendable, CustomStringConvertible {
    /// The deadlines and limit that applied, to name the one that was hit.
    public struct Limits: Sendable {
        public var responseSeconds: Double
        public var idleSeconds: Double
        public var maxBodyBytes: Int
    }

    struct BodyTooLarge: Error { let limit: Int }

    public let underlying: any Error
    public let sent: Bool
    public let limits: Limits

    public init(_ underlying: any Error, sent: Bool, limits: Limits) {
        self.underlying = underlying
        self.sent = sent
        self.limits = limits
    }

    /// The caller gave up on the request (a prefetched page no longer needed): not a failure.
    public var isCancellation: Bool {
        underlying is CancellationError || (underlying as? HTTPClientError) == .cancelled
    }

    public var description: String {
        if let tooLarge = underlying as? BodyTooLarge {
            return "the response body is larger than \(tooLarge.limit >> 20) MB"
        }
        switch underlying as? HTTPClientError {
        case .readTimeout?:
            return "the server sent nothing for \(Self.seconds(limits.idleSeconds)) (idle_timeout)"
        case .deadlineExceeded?:
            return "the whole response took longer than \(Self.seconds(limits.responseSeconds)) (timeout)"
        case .connectTimeout?:
            return "could not connect in time"
        case .remoteConnectionClosed?:
            return "the server closed the connection before the response was complete"
        default:
            return String(describing: underlying)
        }
    }

    static func seconds(_ s: Double) -> String {
        s < 1 ? "\(Int((s * 1000).rounded())) ms" : (s == s.rounded() ? "\(Int(s)) s" : "\(s) s")
    }
}
