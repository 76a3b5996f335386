import Foundation
import Testing

enum Vectors {
    static func bytes(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Vectors"))
        return [UInt8](try Data(contentsOf: url))
    }
}
