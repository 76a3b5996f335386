import Foundation
import FuzzTargets
import Testing
import TestSupport

/// The fuzz targets, run the way the suite can afford: every seed of `fuzz/corpus/` must be read
/// as valid by its parser (so that the fuzzer starts deep), and a few hundred mutations of each
/// (bit flips, truncations, insertions, splices), from a fixed PRNG seed, must neither trap nor
/// break an invariant. The long runs are `scripts/fuzz`'s, under libFuzzer.
@Suite struct FuzzTargetsTests {
    static let corpus = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fuzz/corpus")

    /// Mutations run per seed.
    static let mutationsPerSeed = 300

    static func seeds(_ target: FuzzTarget) throws -> [(name: String, bytes: [UInt8])] {
        let folder = corpus.appendingPathComponent(target.name)
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        return try names.map { ($0, [UInt8](try Data(contentsOf: folder.appendingPathComponent($0)))) }
    }

    @Test(arguments: FuzzTarget.all.map(\.name))
    func everySeedIsReadAsValid(_ name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        let seeds = try Self.seeds(target)
        #expect(!seeds.isEmpty, "no seeds in fuzz/corpus/\(name)")
        for seed in seeds {
            #expect(target.run(seed.bytes), "\(name)/\(seed.name) is not read as valid")
        }
    }

    @Test(arguments: FuzzTarget.all.map(\.name))
    func mutationsNeitherTrapNorBreakAnInvariant(_ name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        let seeds = try Self.seeds(target).map(\.bytes)
        var random = SplitMix64(seed: 0x616E_7465_6E6E_65)
        var runs = 0
        var valid = 0
        for seed in seeds {
            for _ in 0..<Self.mutationsPerSeed {
                let input = Mutator.mutate(seed, splicing: seeds, using: &random)
                if target.run(input) { valid += 1 }
                runs += 1
            }
        }
        #expect(runs == seeds.count * Self.mutationsPerSeed)
        // Mutations of valid seeds are mostly still read through, or the mutator is not reaching
        // past the first checks; and some are refused, or it is not changing anything that matters.
        #expect(valid < runs, "\(name): every mutation was valid")
        print("\(name): \(runs) mutations, \(valid) read as valid")
    }

    @Test func targetsHaveUniqueNamesAndCorpusFolders() throws {
        let names = FuzzTarget.all.map(\.name)
        #expect(Set(names).count == names.count)
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).sorted()
        #expect(folders == names.sorted())
    }
}


/// libFuzzer's simplest mutations, a few at a time.
enum Mutator {
    static func mutate(_ seed: [UInt8], splicing others: [[UInt8]], using random: inout SplitMix64) -> [UInt8] {
        var bytes = seed
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            switch Int.random(in: 0..<6, using: &random) {
            case 0 where !bytes.isEmpty:
                let i = Int.random(in: 0..<bytes.count, using: &random)
                bytes[i] ^= 1 << UInt8.random(in: 0..<8, using: &random)
            case 1 where !bytes.isEmpty:
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = [0, 0xFF, 0x7F, 0x80, 1].randomElement(using: &random)!
            case 2 where !bytes.isEmpty:
                bytes.removeLast(Int.random(in: 0...bytes.count, using: &random) / 2)
            case 3:
                let at = Int.random(in: 0...bytes.count, using: &random)
                bytes.insert(contentsOf: (0..<Int.random(in: 1...16, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }, at: at)
            case 4 where bytes.count > 8:
                let start = Int.random(in: 0..<bytes.count - 4, using: &random)
                let piece = bytes[start..<min(bytes.count, start + Int.random(in: 1...64, using: &random))]
                bytes.insert(contentsOf: piece, at: Int.random(in: 0...bytes.count, using: &random))
            case 5:
                let other = others.randomElement(using: &random) ?? []
                let cut = Int.random(in: 0...bytes.count, using: &random)
                bytes = Array(bytes[..<cut]) + other.suffix(Int.random(in: 0...other.count, using: &random))
            default:
                break
            }
        }
        return bytes
    }
}
