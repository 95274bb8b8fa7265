import ConnectorKit
import FileDestination
import PostgresDestination
import SQLiteDestination
import SingerDestination

/// The destination types this process knows: the built-in ones and those given to
/// `Connector.start(destinations:)`. Commands build destinations through `current`.
enum RegisteredDestinations {
    /// The types built into `connector`; a new built-in type is one more line here.
    static let builtIn: [any DestinationFactory] = [
        SQLiteDestinationFactory(),
        PostgresDestinationFactory(),
        FileDestinationFactory(),
        SingerDestinationFactory(),
    ]

    private static let registry = LockedBox(DestinationRegistry(builtIn))

    /// The registry commands use.
    static var current: DestinationRegistry { registry.withLock { $0 } }

    /// Adds `factories` (a same-named one replaces a built-in type).
    static func register(_ factories: [any DestinationFactory]) {
        registry.withLock { $0 = $0.adding(factories) }
    }
}
