// swift-tools-version:6.1
// The libFuzzer build of Antenne's parsers (`scripts/fuzz`): one binary, whose target is chosen by
// ANTENNE_FUZZ_TARGET. Everything is built with AddressSanitizer, Antenne's own modules with
// libFuzzer's coverage too (ANTENNE_FUZZ_COVERAGE, see the main Package.swift), and the binary is
// linked with libFuzzer's driver.
// A package of its own, so that the main build never carries the instrumentation.
import PackageDescription

let package = Package(
    name: "AntenneFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Antenne", path: "..")],
    targets: [
        .executableTarget(
            name: "antenne-fuzz",
            dependencies: [.product(name: "FuzzTargets", package: "Antenne")],
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer,address"])]
        ),
    ]
)
