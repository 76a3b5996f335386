import FuzzTargets

#if canImport(Glibc)
import Glibc
#endif

// libFuzzer's driver, run from our own entry point (the package's executable `main`): the target
// is the one ANTENNE_FUZZ_TARGET names (set by `scripts/fuzz`); libFuzzer's flags are ours.

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

nonisolated(unsafe) var target: FuzzTarget?

guard let name = getenv("ANTENNE_FUZZ_TARGET").map({ String(cString: $0) }), let named = FuzzTarget.named(name) else {
    print("set ANTENNE_FUZZ_TARGET to one of: \(FuzzTarget.all.map(\.name).joined(separator: ", "))")
    exit(2)
}
target = named
var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(runDriver(&argc, &argv) { data, size in
    guard let data, size <= FuzzTarget.maximumInput else { return 0 }
    _ = target?.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
})
