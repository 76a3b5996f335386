import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// An ``ArchiveStore`` in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, moto...): each key is
/// an object under the configuration's key prefix. S3 writes objects whole (PutObject never
/// leaves a partial object), which is the store contract.
///
/// Requests are signed with ``S3SigV4`` and sent with AsyncHTTPClient: PutObject, GetObject,
/// ListObjectsV2 (with `delimiter` for one level) and DeleteObjects. Failures are classified for the caller's retry loop: 5xx,
/// timeouts and connection errors are ``ArchiveError/unavailable(_:)``, 403 and other 4xx
/// ``ArchiveError/refused(_:)``, quota answers ``ArchiveError/full(_:)``, unreadable answers and
/// oversize objects ``ArchiveError/malformed(_:)``. A failed connection fails the request at once
/// rather than being retried inside the client: the caller backs off. Neither errors nor logs
/// carry the secret key or the session token.
///
/// The store owns an `HTTPClient`: call ``shutdown()`` once it is no longer used.
public struct S3ArchiveStore: ArchiveStore {
    public let configuration: S3Configuration
    private let client: HTTPClient
    private let signer: S3SigV4
    private let slots: S3RequestSlots
    private let logger: Logger

    /// Requests in flight, and connections kept, per store; more requests wait their turn.
    static let maximumRequestsInFlight = 16

    /// Largest ListObjectsV2 page read: 1,000 entries (the most a page holds) of a 1,024-byte key
    /// with its ETag, date, owner and storage class stay well under 4 MiB.
    static let maximumListPageSize = 4 * 1024 * 1024
    /// Most ListObjectsV2 pages followed: ``ArchiveLimits/maximumListing`` at 100 keys a page, a
    /// tenth of what S3 returns; a server that pages smaller or never ends is a runaway listing.
    static let maximumListPages = ArchiveLimits.maximumListing / 100
    /// Largest error answer read: S3's are a few hundred bytes.
    static let maximumErrorSize = 64 * 1024
    /// Keys in one DeleteObjects request: S3's maximum ("DeleteObjects", Amazon S3 API Reference).
    static let deleteBatch = 1_000

    /// Makes the store and its HTTP client, which runs on `eventLoopGroup`.
    public init(
        configuration: S3Configuration,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "antenne.archive.s3")
    ) {
        self.configuration = configuration
        self.signer = S3SigV4(credentials: configuration.credentials, region: configuration.region)
        self.slots = S3RequestSlots(Self.maximumRequestsInFlight)
        self.logger = logger
        var http = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(configuration.connectTimeout), read: TimeAmount(configuration.readTimeout))
        )
        http.connectionPool.retryConnectionEstablishment = false
        http.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = Self.maximumRequestsInFlight
        self.client = HTTPClient(eventLoopGroup: eventLoopGroup, configuration: http, backgroundActivityLogger: logger)
    }

    /// Closes the store's connections and stops its HTTP client. Call it once, when the store
    /// (and every copy of it) is done: a client must be shut down before it is released, and
    /// requests made after this fail with ``ArchiveError/unavailable(_:)``.
    public func shutdown() async {
        do {
            try await client.shutdown()
        } catch {
            logger.debug("S3 archive store: HTTP client shutdown: \(error)")
        }
    }

    public func put(_ key: ArchiveKey, _ data: ByteBuffer) async throws(ArchiveError) {
        let what = "put \(key)"
        let response = try await send(.PUT, key: configuration.keyPrefix + key.value, body: data, limit: Self.maximumErrorSize, what)
        guard response.status == 200 else { throw S3ErrorResponse(status: response.status, body: response.body).archiveError(what) }
    }

    public func get(_ key: ArchiveKey) async throws(ArchiveError) -> ByteBuffer? {
        let what = "get \(key)"
        let response = try await send(.GET, key: configuration.keyPrefix + key.value, limit: ArchiveLimits.maximumObjectSize, what)
        switch response.status {
        case 200:
            return response.body
        default:
            let failure = S3ErrorResponse(status: response.status, body: response.body)
            // A missing bucket is 404 too, with NoSuchBucket: configuration, not an absent object.
            if failure.status == 404, failure.code == "NoSuchKey" { return nil }
            throw failure.archiveError(what)
        }
    }

    /// GetObject with a `Range` header; the answer's `Content-Range` gives the whole size.
    public func read(_ key: ArchiveKey, from offset: Int64, count: Int) async throws(ArchiveError) -> ObjectRange? {
        let what = "read \(key)"
        guard offset >= 0, count > 0, count <= ArchiveLimits.maximumObjectSize else { throw .malformed("\(what): bad range") }
        let response = try await send(
            .GET, key: configuration.keyPrefix + key.value, headers: [(name: "range", value: "bytes=\(offset)-\(offset + Int64(count) - 1)")],
            limit: count, what)
        switch response.status {
        case 206:
            guard let range = response.contentRange, range.hasPrefix("bytes "), let slash = range.lastIndex(of: "/"),
                  let size = Int64(range[range.index(after: slash)...]) else {
                throw .malformed("\(what): a partial answer without a usable Content-Range")
            }
            return ObjectRange(data: response.body, size: size)
        case 200:
            // The whole object (a server that ignores ranges, or an empty one).
            var body = response.body
            let size = Int64(body.readableBytes)
            body.moveReaderIndex(forwardBy: Int(min(offset, size)))
            return ObjectRange(data: body.readSlice(length: min(count, body.readableBytes)) ?? ByteBuffer(), size: size)
        case 416:
            // At or past the end: nothing to read, and S3 says how long the object is.
            let size = response.contentRange.flatMap { $0.split(separator: "/").last.flatMap { Int64($0) } } ?? offset
            return ObjectRange(data: ByteBuffer(), size: size)
        default:
            let failure = S3ErrorResponse(status: response.status, body: response.body)
            if failure.status == 404, failure.code == "NoSuchKey" { return nil }
            throw failure.archiveError(what)
        }
    }

    public func list(prefix: String) async throws(ArchiveError) -> [ArchiveObject] {
        var objects: [ArchiveObject] = []
        try await listPages(prefix: prefix, delimiter: false) { page, fullPrefix in
            for entry in page.entries {
                // Objects that are not ours (keys no archive key can be) are skipped.
                guard entry.key.hasPrefix(fullPrefix),
                      let key = try? ArchiveKey(String(entry.key.dropFirst(configuration.keyPrefix.count)))
                else { continue }
                objects.append(ArchiveObject(key: key, size: entry.size))
            }
            return page.entries.count
        }
        return objects.sorted { $0.key < $1.key }
    }

    /// One level, with `delimiter=/`: S3 answers the common prefixes, not every object below.
    public func listDirectories(prefix: String) async throws(ArchiveError) -> [String] {
        var names: Set<String> = []
        try await listPages(prefix: prefix, delimiter: true) { page, fullPrefix in
            for common in page.commonPrefixes where common.hasPrefix(fullPrefix) && common.hasSuffix("/") {
                let name = String(common.dropFirst(fullPrefix.count).dropLast())
                // Names no archive key component can be are not ours.
                if (try? ArchiveKey(name)) != nil, !name.contains("/") { names.insert(name) }
            }
            return page.entries.count + page.commonPrefixes.count
        }
        return names.sorted()
    }

    /// ListObjectsV2, page after page, each handed to `read`, which returns how many entries it
    /// held (counted against ``ArchiveLimits/maximumListing``).
    private func listPages(
        prefix: String, delimiter: Bool, _ read: (S3ListPage, _ fullPrefix: String) throws(ArchiveError) -> Int
    ) async throws(ArchiveError) {
        guard prefix.utf8.allSatisfy({ ArchiveKey.isKeyByte($0) || $0 == UInt8(ascii: "/") }) else { throw .invalidKey(prefix) }
        let what = "list '\(prefix)'"
        let fullPrefix = configuration.keyPrefix + prefix
        var listed = 0
        var token: String?
        for _ in 0..<Self.maximumListPages {
            var query = [(name: "list-type", value: "2"), (name: "encoding-type", value: "url")]
            if delimiter { query.append((name: "delimiter", value: "/")) }
            if !fullPrefix.isEmpty { query.append((name: "prefix", value: fullPrefix)) }
            if let token { query.append((name: "continuation-token", value: token)) }
            let response = try await send(.GET, key: nil, query: query, limit: Self.maximumListPageSize, what)
            guard response.status == 200 else { throw S3ErrorResponse(status: response.status, body: response.body).archiveError(what) }
            let page = try S3ListPage(parsing: response.body)
            listed += try read(page, fullPrefix)
            guard listed <= ArchiveLimits.maximumListing else {
                throw .malformed("more than \(ArchiveLimits.maximumListing) objects under '\(prefix)'")
            }
            guard let next = page.continuationToken else { return }
            token = next
        }
        throw .malformed("\(what): more than \(Self.maximumListPages) pages")
    }

    public func delete(_ keys: [ArchiveKey]) async throws(ArchiveError) {
        var start = keys.startIndex
        while start < keys.endIndex {
            let batch = keys[start..<min(start + Self.deleteBatch, keys.endIndex)]
            start = batch.endIndex
            try await deleteObjects(batch)
        }
    }

    /// DeleteObjects ("DeleteObjects", Amazon S3 API Reference): a quiet request, so the answer
    /// lists only the keys that failed. A key that does not exist counts as deleted.
    private func deleteObjects(_ keys: ArraySlice<ArchiveKey>) async throws(ArchiveError) {
        let what = "delete \(keys.count) objects from \(keys.first.map(\.value) ?? "")"
        // Keys and the prefix hold only letters, digits, '.', '-', '_' and '/': nothing to escape.
        var xml = #"<?xml version="1.0" encoding="UTF-8"?><Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Quiet>true</Quiet>"#
        for key in keys { xml += "<Object><Key>\(configuration.keyPrefix)\(key.value)</Key></Object>" }
        xml += "</Delete>"
        let body = ByteBuffer(string: xml)
        // DeleteObjects requires an integrity header; Content-MD5 is the one every S3-compatible knows.
        let md5 = Data(Insecure.MD5.hash(data: Data(xml.utf8))).base64EncodedString()
        let response = try await send(
            .POST, key: nil, query: [(name: "delete", value: "")], body: body,
            headers: [(name: "content-md5", value: md5), (name: "content-type", value: "application/xml")],
            limit: Self.maximumListPageSize, what
        )
        guard response.status == 200 else { throw S3ErrorResponse(status: response.status, body: response.body).archiveError(what) }
        guard let root = S3XMLElement.parse(response.body), root.name == "DeleteResult" else {
            throw .malformed("\(what): not a DeleteResult document")
        }
        if let failed = root.children("Error").first {
            let key = failed["Key"].map { " ('\($0.prefix(120))')" } ?? ""
            throw S3ErrorResponse(status: response.status, code: failed["Code"], message: failed["Message"]).archiveError(what + key)
        }
    }

    /// CreateBucket ("CreateBucket", Amazon S3 API Reference), for test setups: a bucket already
    /// there and owned is fine.
    func createBucket() async throws(ArchiveError) {
        let what = "create bucket \(configuration.bucket)"
        var body = ByteBuffer()
        if configuration.region != "us-east-1" {
            body = ByteBuffer(string: """
                <CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">\
                <LocationConstraint>\(configuration.region)</LocationConstraint></CreateBucketConfiguration>
                """)
        }
        let response = try await send(.PUT, key: nil, body: body, limit: Self.maximumErrorSize, what)
        guard response.status == 200 else {
            let failure = S3ErrorResponse(status: response.status, body: response.body)
            if failure.code == "BucketAlreadyOwnedByYou" { return }
            throw failure.archiveError(what)
        }
    }

    struct Response {
        var status: Int
        var body: ByteBuffer
        var contentRange: String?
    }

    /// Signs and sends one request when a slot is free, and reads the answer's body up to
    /// `limit` bytes.
    private func send(
        _ method: HTTPMethod, key: String?, query: [(name: String, value: String)] = [], body: ByteBuffer? = nil,
        headers extra: [(name: String, value: String)] = [], limit: Int, _ what: String
    ) async throws(ArchiveError) -> Response {
        await slots.acquire()
        let result: Result<Response, ArchiveError>
        do throws(ArchiveError) {
            result = .success(try await sendNow(method, key: key, query: query, body: body, headers: extra, limit: limit, what))
        } catch {
            result = .failure(error)
        }
        await slots.release()
        return try result.get()
    }

    private func sendNow(
        _ method: HTTPMethod, key: String?, query: [(name: String, value: String)], body: ByteBuffer?,
        headers extra: [(name: String, value: String)], limit: Int, _ what: String
    ) async throws(ArchiveError) -> Response {
        let path = configuration.path(key: key)
        let payloadHash = (body ?? ByteBuffer()).withUnsafeReadableBytes { S3SigV4.hash($0) }
        let unsigned = S3SigV4.Request(
            method: method.rawValue, path: path, query: query,
            headers: [(name: "host", value: configuration.host)] + extra, payloadHash: payloadHash
        )
        var request = HTTPClientRequest(url: configuration.url(path: path, query: Self.sentQuery(query)))
        request.method = method
        for (name, value) in unsigned.headers + signer.sign(unsigned, at: Date()) {
            request.headers.add(name: name, value: value)
        }
        if let body { request.body = .bytes(body) }

        do {
            let response = try await client.execute(request, deadline: .now() + TimeAmount(configuration.requestTimeout), logger: logger)
            let status = Int(response.status.code)
            if let length = response.headers.first(name: "content-length").flatMap(Int.init), length > max(limit, Self.maximumErrorSize) {
                throw ArchiveError.malformed("\(what): a \(length)-byte answer, over the \(limit)-byte limit")
            }
            let bytes = try await response.body.collect(upTo: max(limit, Self.maximumErrorSize))
            return Response(status: status, body: bytes, contentRange: response.headers.first(name: "content-range"))
        } catch let error as ArchiveError {
            throw error
        } catch is NIOTooManyBytesError {
            throw .malformed("\(what): an answer over the \(limit)-byte limit")
        } catch {
            // Connection refused or reset, timeouts, TLS failures, a shut-down client: may pass.
            logger.debug("S3 archive store: \(what) failed", metadata: ["error": "\(error)"])
            throw .unavailable("\(what): \(error)")
        }
    }

    /// The query string as sent: the canonical one, except that a parameter without a value is
    /// its bare name (`?delete`), the form S3's own examples use.
    static func sentQuery(_ query: [(name: String, value: String)]) -> String {
        S3SigV4.canonicalQuery(query).split(separator: "&").map { $0.hasSuffix("=") ? String($0.dropLast()) : String($0) }
            .joined(separator: "&")
    }
}
