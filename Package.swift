// swift-tools-version:6.1
import PackageDescription

// `scripts/fuzz` builds the fuzzer with ANTENNE_FUZZ_COVERAGE set: libFuzzer's coverage (what
// -sanitize=fuzzer instruments) goes into our own modules and not into the packages we use, whose
// million counters libFuzzer would otherwise scan and clear after every input (two thirds of a
// run's time). AddressSanitizer, which the coverage needs, is on for every module of that build.
let fuzzCoverage: [SwiftSetting] = Context.environment["ANTENNE_FUZZ_COVERAGE"] == nil ? [] : [
    .unsafeFlags(["-sanitize-coverage=edge,inline-8bit-counters,trace-cmp,pc-table"]),
]

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
] + fuzzCoverage

let nioCore: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")

let package = Package(
    name: "Antenne",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "antenne", targets: ["antenne"]),
        // Simulated LL-HLS viewers for bench/delivery.py and the edge tests (NIO only, so that it
        // adds little to a build).
        .executable(name: "antenne-loadgen", targets: ["LoadGen"]),
        // The parsers' fuzz entry points, for the libFuzzer build in fuzz/ (scripts/fuzz).
        .library(name: "FuzzTargets", targets: ["FuzzTargets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", from: "2.8.1"),
    ],
    targets: [
        // Layer 0-2: pure media modules (no I/O, no logging, no NIOPosix).
        .target(name: "MediaCore", dependencies: [nioCore], swiftSettings: swiftSettings),
        // Event-loop timers for the services above the media modules.
        .target(name: "Scheduling", dependencies: [nioCore], swiftSettings: swiftSettings),
        .target(name: "Codecs", dependencies: ["MediaCore", nioCore], swiftSettings: swiftSettings),
        .target(name: "Containers", dependencies: ["MediaCore", "Codecs", nioCore], swiftSettings: swiftSettings),
        .target(name: "Manifests", dependencies: ["MediaCore"], swiftSettings: swiftSettings),
        // Layer 3: RTMP protocol (pure state machines and codecs over ByteBuffer).
        .target(
            name: "RTMP",
            dependencies: ["MediaCore", nioCore, .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // Layer 4
        .target(
            name: "Hub",
            dependencies: ["MediaCore", nioCore, .product(name: "NIOConcurrencyHelpers", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        // Layer 5
        .target(
            name: "Ingest",
            dependencies: [
                "MediaCore", "Codecs", "Containers", "RTMP", "Hub",
                nioCore,
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // libsrt from the system (Debian: libsrt-openssl-dev), for SRT ingest.
        .systemLibrary(name: "CSRT", path: "Sources/CSRT", pkgConfig: "srt", providers: [.apt(["libsrt-openssl-dev"])]),
        // glibc's malloc.h, for the server's allocator settings (AllocatorPolicy).
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        .target(
            name: "SRTIngest",
            dependencies: [
                "CSRT", "MediaCore", "Containers", "Hub", "Ingest",
                nioCore,
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Packager",
            dependencies: [
                "MediaCore", "Codecs", "Containers", "Hub",
                nioCore,
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Transcoder",
            dependencies: [
                "MediaCore", "Codecs", "Containers", "Hub",
                nioCore,
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Archive",
            dependencies: [
                "MediaCore", "Containers", "Scheduling",
                nioCore,
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Layer 6
        // Restreaming: pushes a channel to RTMP, RTMPS and SRT destinations with supervised FFmpeg
        // children (the transcoder's process launcher and supervisor).
        .target(
            name: "Restream",
            dependencies: [
                "MediaCore", "Containers", "Hub", "Transcoder",
                nioCore,
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Delivery",
            dependencies: [
                "MediaCore", "Containers", "Manifests", "Packager", "Archive", "Hub", "Transcoder",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: ["antenne", "abr", "cache", "captions", "cea608", "clearkey", "controls", "dash", "decrypt", "hls", "liveedge", "m3u8", "mp4", "mpd", "mse", "net", "p2p", "p2pdata", "player", "quality", "session", "track", "watch"]
                .map { .embedInCode("Player/\($0).js") },
            swiftSettings: swiftSettings
        ),
        // Peer-assisted delivery: the swarms' signalling, the objects' digests, a STUN responder.
        .target(
            name: "Tracker",
            dependencies: [
                "Packager", "Delivery",
                nioCore,
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Control",
            dependencies: [
                "Archive",
                nioCore,
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQL", package: "fluent-kit"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Channels",
            dependencies: [
                "MediaCore", "Hub", "Ingest", "Packager", "Transcoder", "Archive", "Delivery", "Control", "Events", "Restream",
                nioCore,
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Events",
            dependencies: [
                "Control", "Hub", "Transcoder", "Archive", "Scheduling",
                nioCore,
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Observability",
            dependencies: [
                "Hub", "Ingest", "SRTIngest", "Packager", "Transcoder", "Archive", "Delivery", "Tracker", "Restream",
                nioCore,
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: swiftSettings
        ),
        // The back-office at /admin: its pages and modules, and the figures the monitoring routes
        // of the control API show.
        .target(
            name: "Admin",
            dependencies: [
                "Control", "Delivery", "Hub", "MediaCore", "Observability", "Packager", "Transcoder", "Archive",
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: ["index.html", "admin.css", "api.js", "app.js", "channel.js", "channels.js", "graph.js", "server.js", "timeline.js", "ui.js"]
                .map { .embedInCode("Pages/\($0)") },
            swiftSettings: swiftSettings
        ),
        // The edge relay: live windows pulled from origins, served by Delivery's playback path.
        .target(
            name: "Edge",
            dependencies: [
                "MediaCore", "Containers", "Manifests", "Packager", "Delivery", "Observability",
                nioCore,
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        // Layer 7
        .target(
            name: "AntenneServer",
            dependencies: [
                "MediaCore", "Hub", "Ingest", "Packager", "Transcoder", "Archive", "Delivery", "Control", "Events", "Scheduling",
                "Observability", "Channels", "Edge", "SRTIngest", "Tracker", "Admin", "Restream", "CMalloc",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdHTTP2", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "antenne",
            dependencies: ["AntenneServer", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "LoadGen",
            dependencies: [nioCore, .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),

        // Every parser that reads the wire or a file, as fuzz targets: libFuzzer drives them from
        // fuzz/ (scripts/fuzz); FuzzTargetsTests run them over the seed corpus and its mutations.
        .target(
            name: "FuzzTargets",
            dependencies: ["Archive", "Codecs", "Containers", "Manifests", "RTMP", "Control", "Delivery", "SRTIngest", "Tracker", nioCore],
            swiftSettings: swiftSettings
        ),

        // What several test targets share: a log capture, free ports, and the real servers the
        // tests start (a throwaway PostgreSQL cluster, moto's S3). Built only with the tests.
        .target(
            name: "TestSupport",
            dependencies: [
                "Archive", "Control",
                nioCore,
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "MediaCoreTests", dependencies: ["MediaCore"], swiftSettings: swiftSettings),
        .testTarget(name: "FuzzTargetsTests", dependencies: ["FuzzTargets", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "CodecsTests", dependencies: ["Codecs"], resources: [.copy("Vectors")], swiftSettings: swiftSettings),
        .testTarget(name: "ContainersTests", dependencies: ["Containers", "Codecs", "TestSupport"], resources: [.copy("Vectors")], swiftSettings: swiftSettings),
        .testTarget(name: "ManifestsTests", dependencies: ["Manifests", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "RTMPTests",
            dependencies: ["RTMP", .product(name: "NIOTestUtils", package: "swift-nio")],
            resources: [.copy("Vectors")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IngestTests",
            dependencies: [
                "Ingest", "Hub", "RTMP", "TestSupport",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SRTIngestTests",
            dependencies: ["SRTIngest", "Ingest", "Hub", "Containers", "MediaCore", nioCore, .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "HubTests", dependencies: ["Hub", "MediaCore", nioCore], swiftSettings: swiftSettings),
        .testTarget(
            name: "ObservabilityTests",
            dependencies: [
                "Observability", "Delivery", "Hub", "Ingest", "MediaCore", "Restream", nioCore,
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TranscoderTests",
            dependencies: ["Transcoder", "MediaCore", nioCore, .product(name: "NIOPosix", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "RestreamTests",
            dependencies: ["Restream", "Transcoder", "Hub", "MediaCore", nioCore, .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PackagerTests",
            dependencies: [
                "Packager", "Containers", .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ArchiveTests",
            dependencies: [
                "Archive", "MediaCore", "TestSupport", nioCore,
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EdgeTests",
            dependencies: [
                "Edge", "Delivery", "Packager", "Manifests", "MediaCore", "Hub", "TestSupport", nioCore,
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "DeliveryTests",
            dependencies: [
                "Delivery", "Archive", "Containers", "Packager", "Manifests", "MediaCore", "Hub", "TestSupport", nioCore,
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TrackerTests",
            dependencies: [
                "Tracker", "Delivery", "Packager", "MediaCore", nioCore,
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ControlTests",
            dependencies: [
                "Control", "TestSupport",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "AdminTests",
            dependencies: [
                "Admin", "Control", "Delivery", "Hub", "Observability", "Packager", "Archive", "MediaCore", nioCore,
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ControlAPITests",
            dependencies: [
                "Control", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "AntenneServer", "Transcoder", "Manifests", "Delivery", "Control", "Archive", "Events", "Hub", "TestSupport",
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
