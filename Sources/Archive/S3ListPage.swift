import Foundation
import NIOCore

/// One page of a ListObjectsV2 answer (`ListBucketResult`, "ListObjectsV2", Amazon S3 API
/// Reference): the keys and sizes, and where the next page starts.
struct S3ListPage: Equatable {
    struct Entry: Equatable {
        /// The whole key, bucket prefix included, decoded.
        var key: String
        var size: Int64
    }

    var entries: [Entry]
    /// `NextContinuationToken` when the listing goes on (`IsTruncated`), nil on the last page.
    var continuationToken: String?

    init(entries: [Entry], continuationToken: String?) {
        self.entries = entries
        self.continuationToken = continuationToken
    }

    init(parsing body: ByteBuffer) throws(ArchiveError) {
        guard let root = S3XMLElement.parse(body), root.name == "ListBucketResult" else {
            throw .malformed("S3 listing: not a ListBucketResult document")
        }
        // With `encoding-type=url` the server percent-encodes keys, so that any key fits in XML
        // 1.0; a server that ignores the parameter says so by leaving `EncodingType` out.
        let encoded = root["EncodingType"] == "url"
        var entries: [Entry] = []
        for contents in root.children("Contents") {
            guard var key = contents["Key"], !key.isEmpty else { throw .malformed("S3 listing: an entry without a key") }
            if encoded {
                guard let decoded = key.removingPercentEncoding else { throw .malformed("S3 listing: bad key encoding '\(key.prefix(80))'") }
                key = decoded
            }
            guard let sizeText = contents["Size"], let size = Int64(sizeText), size >= 0 else {
                throw .malformed("S3 listing: bad size for '\(key.prefix(80))'")
            }
            entries.append(Entry(key: key, size: size))
        }
        switch root["IsTruncated"] {
        case "true":
            guard let token = root["NextContinuationToken"], !token.isEmpty else {
                throw .malformed("S3 listing: truncated without a continuation token")
            }
            self.init(entries: entries, continuationToken: token)
        case "false", nil:
            self.init(entries: entries, continuationToken: nil)
        case let other?:
            throw .malformed("S3 listing: IsTruncated is '\(other.prefix(20))'")
        }
    }
}
