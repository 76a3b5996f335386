import NIOCore

/// One parser under fuzzing: a name (`scripts/fuzz NAME`, the folder of its seed corpus under
/// `fuzz/corpus/`) and the function that feeds it one input and says whether the parser took it
/// as valid (every seed must be: the fuzzer starts from inputs that reach deep).
///
/// A target must never trap on any input: a thrown parse error is the expected answer to bad
/// bytes and is where most inputs end. Where a parser has an inverse (a renderer, an encoder), the
/// target also checks that what parsed renders back to something that parses to the same value,
/// and traps if not, so that the fuzzer reports it.
public struct FuzzTarget: Sendable {
    public let name: String
    public let run: @Sendable ([UInt8]) -> Bool

    public init(name: String, run: @escaping @Sendable ([UInt8]) -> Bool) {
        self.name = name
        self.run = run
    }

    /// Every target, by name.
    public static let all: [FuzzTarget] = media + wire + manifests + control + tracker + markers

    public static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }

    /// The largest input a target reads: more than any one message, tag, table or playlist the
    /// parsers accept (they have their own limits), small enough to keep each run quick.
    public static let maximumInput = 1 << 20

    /// `bytes` as a ByteBuffer, as the wire delivers them.
    static func buffer(_ bytes: [UInt8]) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return buffer
    }

    /// Traps with `message` when `condition` fails: the fuzzer's signal for a broken invariant.
    static func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        if !condition() { fatalError("invariant broken: \(message())") }
    }
}
