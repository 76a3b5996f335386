import Foundation
import NIOCore

/// One page of a ListObjectsV2 answer (`ListBucketResult`, "ListObjectsV2", Amazon S3 API
/// Reference): the keys and sizes, the common prefixes of a `delimiter` listing, and where the
/// next page starts.
struct S3ListPage: Equatable {
    struct Entry: Equatable {
        /// The whole key, bucket prefix included, decoded.
        var key: String
        var size: Int64
    }

    var entries: [Entry]
    /// `CommonPrefixes/Prefix` of a listing with a delimiter: whole prefixes, bucket prefix
    /// included, decoded, each ending with the delimiter.
    var commonPrefixes: [String]
    /// `NextContinuationToken` when the listing goes on (`IsTruncated`), nil on the last page.
    var continuationToken: String?

    init(entries: [Entry], commonPrefixes: [String] = [], continuationToken: String?) {
        self.entries = entries
        self.commonPrefixes = commonPrefixes
        self.continuationToken = continuationToken
    }

    init(parsing body: ByteBuffer) throws(ArchiveError) {
        guard let root = S3XMLElement.parse(body), root.name == "ListBucketResult" else {
            throw .malformed("S3 listing: not a ListBucketResult document")
        }
        // With `encoding-type=url` the server percent-encodes keys, so that any key fits in XML
        // 1.0; a server that ignores the parameter says so by leaving `EncodingType` out.
        let encoded = root["EncodingType"] == "url"
        func decoded(_ key: String) throws(ArchiveError) -> String {
            guard encoded else { return key }
            guard let decoded = key.removingPercentEncoding else { throw .malformed("S3 listing: bad key encoding '\(key.prefix(80))'") }
            return decoded
        }
        var entries: [Entry] = []
        for contents in root.children("Contents") {
            guard let raw = contents["Key"], !raw.isEmpty else { throw .malformed("S3 listing: an entry without a key") }
            let key = try decoded(raw)
            guard let sizeText = contents["Size"], let size = Int64(sizeText), size >= 0 else {
                throw .malformed("S3 listing: bad size for '\(key.prefix(80))'")
            }
            entries.append(Entry(key: key, size: size))
        }
        var prefixes: [String] = []
        for common in root.children("CommonPrefixes") {
            guard let raw = common["Prefix"], !raw.isEmpty else { throw .malformed("S3 listing: a common prefix without a prefix") }
            prefixes.append(try decoded(raw))
        }
        switch root["IsTruncated"] {
        case "true":
            guard let token = root["NextContinuationToken"], !token.isEmpty else {
                throw .malformed("S3 listing: truncated without a continuation token")
            }
            self.init(entries: entries, commonPrefixes: prefixes, continuationToken: token)
        case "false", nil:
            self.init(entries: entries, commonPrefixes: prefixes, continuationToken: nil)
        case let other?:
            throw .malformed("S3 listing: IsTruncated is '\(other.prefix(20))'")
        }
    }
}
