// swift-tools-version:6.0
import PackageDescription

// The run's hot paths (normalizing, staging, loading) check memory exclusivity statically only in
// release builds: the dynamic check costs two runtime calls per access to a class's stored
// property (~60 M instructions, 2.4 % of a scale-5 run). The test suite builds debug, where every
// access is still checked, so a violation fails a test instead of going unnoticed.
let hotPathSettings: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "connector",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "connector", targets: ["connector"]),
        .library(name: "ConnectorKit", targets: ["ConnectorKit"]),
        .library(name: "ConnectorCLI", targets: ["ConnectorCLI"]),
        .library(name: "DestinationConformance", targets: ["DestinationConformance"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/mattpolzin/OpenAPIKit", from: "6.4.0"),
    ],
    targets: [
        // simdjson (Debian libsimdjson-dev) behind a small C API, so Swift needs no C++ interop.
        // Without the package, csimdjson.cpp stops the build naming it. (No pkg-config system
        // library: SwiftPM would warn "prohibited flag(s)" on every build for simdjson.pc's -D.)
        .target(
            name: "CSimdJSON",
            cxxSettings: [.unsafeFlags(["-O3"])],
            linkerSettings: [.linkedLibrary("simdjson")]
        ),
        // The system SQLite (Debian libsqlite3-dev).
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // ISO 8601 and civil-date arithmetic shared by the engine and the sandbox.
        .target(name: "CivilTime"),
        // The API-agnostic engine: spec → extract → normalize → load contracts → pipeline.
        .target(
            name: "ConnectorKit",
            dependencies: [
                "CSimdJSON", "CivilTime",
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // HTTPTransport and ResponseCollector use NIO's buffers and HTTP types directly.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // HTTPTransport's own one-thread event loop group (HTTPTransport.eventLoopGroup).
                .product(name: "NIOPosix", package: "swift-nio"),
                // Requests are logged (LogStep) through swift-log; the CLI picks the handler.
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: hotPathSettings
        ),
        .target(name: "SQLiteDestination", dependencies: ["ConnectorKit", "CSQLite"], swiftSettings: hotPathSettings),
        .target(name: "FileDestination", dependencies: ["ConnectorKit"]),
        // Any Singer target as a destination, and the message encoder `connector tap` shares.
        .target(name: "SingerDestination", dependencies: ["ConnectorKit"]),
        .target(
            name: "PostgresDestination",
            dependencies: [
                "ConnectorKit", .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: hotPathSettings
        ),
        // Offline Clari-compatible API used by the demo and the tests. Never imports the engine.
        .target(
            name: "APISandbox",
            dependencies: [
                "CivilTime",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // `connector init --openapi`: an OpenAPI 3.0/3.1 document → a commented draft source (YAML text).
        // Pure functions; never imports the engine, so the engine never learns any API from it.
        .target(
            name: "OpenAPIImport",
            dependencies: [
                .product(name: "OpenAPIKit", package: "OpenAPIKit"),
                .product(name: "OpenAPIKit30", package: "OpenAPIKit"),
                .product(name: "OpenAPIKitCompat", package: "OpenAPIKit"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // `connector dashboard`: server-rendered pages over any destination's DatasetReader, on 127.0.0.1.
        .target(
            name: "Dashboard",
            dependencies: [
                "ConnectorKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // The command line as a library, so a package with destinations of its own can run it (docs/destinations.md).
        .target(
            name: "ConnectorCLI",
            dependencies: [
                "ConnectorKit", "SQLiteDestination", "PostgresDestination", "FileDestination", "APISandbox",
                "Dashboard", "CivilTime",
                "SingerDestination",
                "OpenAPIImport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "connector", dependencies: ["ConnectorCLI"]),
        // The destination contract as a check a destination package runs in its tests (docs/destinations.md).
        .target(name: "DestinationConformance", dependencies: ["ConnectorKit"]),
        .testTarget(
            name: "ConnectorKitTests",
            dependencies: [
                "ConnectorKit", "APISandbox",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "DestinationConformanceTests",
            dependencies: [
                "SQLiteDestination", "PostgresDestination", "FileDestination", "ConnectorKit",
                "DestinationConformance",
                "APISandbox",  // a loopback API for the partial-replace runs
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]),
        .testTarget(name: "APISandboxTests", dependencies: ["APISandbox"]),
        // Singer both ways: the schema mapping, and real targets from PyPI against the real binary.
        .testTarget(name: "SingerTests", dependencies: ["SingerDestination", "ConnectorKit", "APISandbox"]),
        .testTarget(name: "DashboardTests", dependencies: ["Dashboard", "ConnectorKit", "SQLiteDestination"]),
        .testTarget(
            name: "OpenAPIImportTests",
            dependencies: [
                "OpenAPIImport", "ConnectorKit", .product(name: "OpenAPIKit30", package: "OpenAPIKit"),
                .product(name: "Yams", package: "Yams"),
            ]),
        // Starts the binary from tests without Foundation's Process (see SpawnedChild).
        .target(name: "ChildProcess", path: "Tests/ChildProcess"),
        // Hostile servers and specs against the real binary, one table row per case.
        .testTarget(
            name: "HostileTests",
            dependencies: [
                "ChildProcess",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "ConnectorKit", "SQLiteDestination", "PostgresDestination", "APISandbox", "OpenAPIImport", "ChildProcess",
            ]
        ),
    ],
    cxxLanguageStandard: .cxx17
)
