import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// AWS Signature Version 4, in the `Authorization` header, as S3 wants it.
///
/// Follows "Authenticating Requests: Using the Authorization Header (AWS Signature Version 4)" and
/// "Signature Calculations for the Authorization Header: Transferring Payload in a Single Chunk" in
/// the Amazon S3 API Reference, and "Create a signed AWS API request" in the IAM User Guide:
/// 1. the canonical request: method, URI-encoded path, sorted and encoded query, sorted lowercase
///    headers with trimmed values, the list of signed headers, and the payload's SHA-256;
/// 2. the string to sign: algorithm, timestamp, credential scope (`day/region/service/aws4_request`)
///    and the canonical request's SHA-256;
/// 3. the signing key: HMAC-SHA256 chained over `"AWS4" + secret`, day, region, service and
///    `aws4_request`;
/// 4. the signature: HMAC-SHA256 of the string to sign under that key, in lowercase hex.
///
/// Pure: the time is an argument, so the published examples are unit tests.
struct S3SigV4: Sendable {
    var credentials: S3Credentials
    var region: String
    var service: String

    init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// What is signed of a request.
    struct Request {
        var method: String
        /// The path as sent, already URI-encoded (``uriEncode(_:keepSlash:)`` with slashes kept):
        /// S3 paths are signed as they are, never normalised.
        var path: String
        /// Query parameters, not encoded; a parameter without a value, like `?delete`, has "".
        var query: [(name: String, value: String)] = []
        /// Headers to sign, `host` included; none of those ``sign(_:at:)`` adds.
        var headers: [(name: String, value: String)]
        /// Lowercase hex SHA-256 of the body (``hash(_:)``).
        var payloadHash: String
    }

    /// The headers to add to the request: `x-amz-date`, `x-amz-content-sha256` (S3 only: other
    /// services, such as the test suite's `service`, do without), `x-amz-security-token` with a
    /// session token, and `authorization`. All but `authorization` are signed.
    func sign(_ request: Request, at date: Date) -> [(name: String, value: String)] {
        let timestamp = Self.timestamp(date)
        var added = [(name: "x-amz-date", value: timestamp)]
        if service == "s3" { added.append((name: "x-amz-content-sha256", value: request.payloadHash)) }
        if let token = credentials.sessionToken { added.append((name: "x-amz-security-token", value: token)) }
        var signed = request
        signed.headers += added

        let (canonical, signedHeaders) = Self.canonicalRequest(signed)
        let scope = "\(timestamp.prefix(8))/\(region)/\(service)/aws4_request"
        let toSign = Self.stringToSign(timestamp: timestamp, scope: scope, canonicalRequest: canonical)
        let key = Self.signingKey(secret: credentials.secretAccessKey, day: String(timestamp.prefix(8)), region: region, service: service)
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(toSign.utf8), using: key))
        added.append((
            name: "authorization",
            value: "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope),SignedHeaders=\(signedHeaders),Signature=\(signature)"
        ))
        return added
    }

    /// The canonical request and the `;`-joined list of signed header names.
    static func canonicalRequest(_ request: Request) -> (String, signedHeaders: String) {
        // Header names lowercased and sorted; values trimmed, inner runs of spaces made one; a
        // header given twice has its values joined with commas.
        var headers: [String: [String]] = [:]
        for (name, value) in request.headers {
            let collapsed = value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            headers[name.lowercased(), default: []].append(collapsed.trimmingCharacters(in: .whitespaces))
        }
        let names = headers.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(headers[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let canonical = [
            request.method,
            request.path,
            canonicalQuery(request.query),
            canonicalHeaders,
            signedHeaders,
            request.payloadHash,
        ].joined(separator: "\n")
        return (canonical, signedHeaders)
    }

    /// Names and values URI-encoded, sorted by name then value, joined with `&`. Also the query
    /// string to send, so that what is signed is what is sent.
    static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        query.map { (uriEncode($0.name, keepSlash: false), uriEncode($0.value, keepSlash: false)) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    static func stringToSign(timestamp: String, scope: String, canonicalRequest: String) -> String {
        ["AWS4-HMAC-SHA256", timestamp, scope, hash(Data(canonicalRequest.utf8))].joined(separator: "\n")
    }

    /// `kSigning` of "Derive a signing key": HMAC-SHA256 chained over the day, region, service
    /// and `aws4_request`, starting from `"AWS4" + secret`.
    static func signingKey(secret: String, day: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(secret)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    /// "URI encode every byte" as SigV4 says: `A-Z a-z 0-9 - . _ ~` stay, `/` stays in paths
    /// only, every other UTF-8 byte becomes `%XX` in uppercase hex (a space is `%20`, never `+`).
    static func uriEncode(_ text: String, keepSlash: Bool) -> String {
        var encoded = ""
        encoded.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where keepSlash:
                encoded.append("/")
            default:
                encoded += String(format: "%%%02X", byte)
            }
        }
        return encoded
    }

    /// ISO 8601 basic format in UTC, `YYYYMMDD'T'HHMMSS'Z'`, as `x-amz-date` has it.
    static func timestamp(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d%02d%02dT%02d%02d%02dZ",
            parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec
        )
    }

    /// Lowercase hex SHA-256 of `data`: the payload hash.
    static func hash(_ data: some DataProtocol) -> String { hex(SHA256.hash(data: data)) }

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}
