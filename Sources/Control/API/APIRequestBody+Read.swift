import Foundation
import NIOCore

extension APIRequestBody {
    /// Reads a body as the API does: strict JSON (``BodyObject``), every field checked by the
    /// type's decoder. A body that is not JSON gets an error saying where, from
    /// JSONSerialization, since JSONDecoder says only "not valid JSON".
    static func read(from bytes: ByteBuffer) throws -> Self {
        let data = Data(buffer: bytes, byteTransferStrategy: .noCopy)
        do {
            return try JSONDecoder().decode(Self.self, from: data)
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            do {
                _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            } catch {
                let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
                throw APIError.invalid("the body is not valid JSON: \(detail)")
            }
            throw APIError.invalid("the body is not valid JSON: \(context.debugDescription)")
        }
    }
}
