// swift-tools-version:6.0
import PackageDescription

// A destination of one's own, shipped as a package: the JSONLinesDestination library (the
// `Destination` and its `DestinationFactory`), an executable that is the whole `connector` command
// line with `type: jsonl_lines` registered, and a test that loads the sandbox through it.
// See docs/destinations.md in the repository root.
let package = Package(
    name: "ExampleDestination",
    platforms: [.macOS(.v15)],
    dependencies: [
        // A real package would name the repository's URL and a version here.
        .package(name: "connector", path: "../..")
    ],
    targets: [
        .target(
            name: "JSONLinesDestination",
            dependencies: [.product(name: "ConnectorKit", package: "connector")]
        ),
        .executableTarget(
            name: "example-connector",
            dependencies: ["JSONLinesDestination", .product(name: "ConnectorCLI", package: "connector")]
        ),
        .testTarget(
            name: "JSONLinesDestinationTests",
            dependencies: [
                "JSONLinesDestination", .product(name: "ConnectorKit", package: "connector"),
                .product(name: "DestinationConformance", package: "connector"),
            ]
        ),
    ]
)
