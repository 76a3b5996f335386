import Foundation
import NIOCore
import Testing

enum Vectors {
    static func bytes(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Vectors"))
        return [UInt8](try Data(contentsOf: url))
    }
}

/// A minimal FLV file reader (FLV spec §E.2, §E.3) for tests: header, then tags with their
/// PreviousTagSize trailers.
struct FLVFileTag {
    var type: UInt8
    var timestamp: UInt32
    var body: ByteBuffer
}

func readFLVFile(_ bytes: [UInt8]) throws -> [FLVFileTag] {
    try #require(bytes.count >= 13 && Array(bytes[0..<3]) == Array("FLV".utf8))
    let headerSize = Int(bytes[5]) << 24 | Int(bytes[6]) << 16 | Int(bytes[7]) << 8 | Int(bytes[8])
    var offset = headerSize + 4
    var tags: [FLVFileTag] = []
    while offset + 11 <= bytes.count {
        let size = Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
        let ts = UInt32(bytes[offset + 4]) << 16 | UInt32(bytes[offset + 5]) << 8 | UInt32(bytes[offset + 6]) | UInt32(bytes[offset + 7]) << 24
        try #require(offset + 11 + size <= bytes.count)
        tags.append(FLVFileTag(type: bytes[offset], timestamp: ts, body: ByteBuffer(bytes: bytes[offset + 11..<offset + 11 + size])))
        offset += 11 + size + 4
    }
    return tags
}

/// Walks an ISO BMFF box tree and returns "path: size" lines for the container boxes listed.
func boxPaths(_ buffer: ByteBuffer) -> [String] {
    let containers: Set<String> = ["moov", "trak", "mdia", "minf", "dinf", "stbl", "mvex", "moof", "traf", "sinf", "schi"]
    var out: [String] = []
    func walk(_ bytes: [UInt8], _ start: Int, _ end: Int, _ path: String) {
        var i = start
        while i + 8 <= end {
            let size = Int(bytes[i]) << 24 | Int(bytes[i + 1]) << 16 | Int(bytes[i + 2]) << 8 | Int(bytes[i + 3])
            let type = String(decoding: bytes[i + 4..<i + 8], as: UTF8.self)
            guard size >= 8, i + size <= end else {
                out.append("\(path)/\(type): BAD SIZE")
                return
            }
            let p = path + "/" + type
            out.append(p)
            if containers.contains(type) { walk(bytes, i + 8, i + size, p) }
            if type == "stsd" { walk(bytes, i + 16, i + size, p) }
            if ["avc1", "hvc1", "av01", "encv"].contains(type) { walk(bytes, i + 8 + 78, i + size, p) }
            if ["mp4a", "Opus", "enca"].contains(type) { walk(bytes, i + 8 + 28, i + size, p) }
            i += size
        }
        if i != end { out.append("\(path): \(end - i) trailing bytes") }
    }
    let bytes = Array(buffer.readableBytesView)
    walk(bytes, 0, bytes.count, "")
    return out
}

/// Runs a tool and returns (exit status, stdout, stderr).
func run(_ tool: String, _ arguments: [String]) throws -> (Int32, String, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
}

let ffprobePath = "/usr/bin/ffprobe"
let ffmpegPath = "/usr/bin/ffmpeg"
let ffmpegAvailable = FileManager.default.isExecutableFile(atPath: ffprobePath) && FileManager.default.isExecutableFile(atPath: ffmpegPath)
