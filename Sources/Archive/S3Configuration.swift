import Foundation

/// Where an ``S3ArchiveStore`` keeps its objects: a bucket and a key prefix (`s3://bucket/prefix`),
/// the endpoint of the S3-compatible server, the region to sign for, the credentials and the
/// addressing style.
public struct S3Configuration: Sendable, Hashable, CustomStringConvertible {
    /// How requests name the bucket ("Virtual hosting of buckets", Amazon S3 User Guide).
    public enum Addressing: String, Sendable, Hashable, CaseIterable {
        /// `http://endpoint/bucket/key`: works with any host name; what MinIO, Ceph and moto
        /// expect by default.
        case path
        /// `http://bucket.endpoint/key`: AWS's preferred style; `bucket.endpoint` must resolve.
        case virtualHost = "virtual-host"
    }

    /// A bucket name as "Bucket naming rules" (Amazon S3 User Guide) allow: 3 to 63 lowercase
    /// letters, digits, `.` and `-`, starting and ending with a letter or a digit.
    public var bucket: String
    /// Prepended to every key: empty, or slash-separated components as in an ``ArchiveKey``
    /// followed by `/`.
    public var keyPrefix: String
    /// `http` or `https`, a host and an optional port; no path.
    public var endpoint: URL
    public var region: String
    public var credentials: S3Credentials
    public var addressing: Addressing
    /// Where to connect (`host:port`) instead of the host that the addressing names, which still
    /// goes in the `Host` header and the signature, like curl's `--connect-to`. For virtual-host
    /// addressing of a server whose bucket host names do not resolve, such as a local test
    /// server; plain HTTP only, since TLS would check the connected name.
    public var connectTo: String?
    /// Longest wait for a TCP connection.
    public var connectTimeout: Duration = .seconds(5)
    /// Longest silence of the server while an answer is awaited or read.
    public var readTimeout: Duration = .seconds(30)
    /// Longest time from sending a request to the answer's head, body upload included: a whole
    /// ``ArchiveLimits/maximumObjectSize`` object at about 4 Mbit/s.
    public var requestTimeout: Duration = .seconds(300)

    /// The endpoint when none is given: AWS's regional one.
    public static func awsEndpoint(region: String) -> URL {
        URL(string: "https://s3.\(region).amazonaws.com")!
    }

    public init(
        bucket: String, keyPrefix: String = "", endpoint: URL, region: String = "us-east-1",
        credentials: S3Credentials, addressing: Addressing = .path, connectTo: String? = nil
    ) throws(ArchiveError) {
        guard Self.isValidBucket(bucket) else { throw .refused("S3 configuration: invalid bucket name '\(bucket.prefix(80))'") }
        guard keyPrefix.isEmpty || (keyPrefix.hasSuffix("/") && ArchiveKey.isValid(String(keyPrefix.dropLast()))) else {
            throw .refused("S3 configuration: invalid key prefix '\(keyPrefix.prefix(80))'")
        }
        guard let scheme = endpoint.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = endpoint.host, !host.isEmpty, endpoint.path.isEmpty || endpoint.path == "/",
              endpoint.query == nil, endpoint.user == nil, endpoint.fragment == nil
        else {
            throw .refused("S3 configuration: the endpoint must be http(s)://host[:port], not '\(endpoint.absoluteString.prefix(200))'")
        }
        guard !region.isEmpty, region.utf8.allSatisfy(Self.isRegionByte) else {
            throw .refused("S3 configuration: invalid region '\(region.prefix(80))'")
        }
        // The access key ID goes in `Credential=ID/scope,`: it may not hold those separators.
        guard !credentials.accessKeyID.isEmpty, !credentials.accessKeyID.contains(where: { "/, ".contains($0) || $0.isNewline }) else {
            throw .refused("S3 configuration: invalid access key ID")
        }
        if let connectTo {
            guard let url = URL(string: "http://\(connectTo)"), url.host != nil, url.port != nil, url.path.isEmpty else {
                throw .refused("S3 configuration: connect-to must be host:port, not '\(connectTo.prefix(80))'")
            }
        }
        self.bucket = bucket
        self.keyPrefix = keyPrefix
        self.endpoint = endpoint
        self.region = region
        self.credentials = credentials
        self.addressing = addressing
        self.connectTo = connectTo
    }

    /// From the command line's `--archive s3://bucket/prefix` and `--s3-endpoint`, with the
    /// region (`AWS_REGION`, else `AWS_DEFAULT_REGION`, else `us-east-1`) and the credentials
    /// (``S3Credentials/init(environment:)``) from `environment`. Without an endpoint, AWS's
    /// regional one.
    public init(
        url: String, endpoint: String? = nil, addressing: Addressing = .path,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ArchiveError) {
        guard let parsed = URLComponents(string: url), parsed.scheme?.lowercased() == "s3",
              let bucket = parsed.host, parsed.port == nil, parsed.user == nil, parsed.password == nil,
              parsed.query == nil, parsed.fragment == nil
        else {
            throw .refused("S3 configuration: the archive must be s3://bucket/prefix, not '\(url.prefix(200))'")
        }
        let components = parsed.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let trimmed = components.last == "" ? components.dropLast() : components
        let keyPrefix = trimmed.isEmpty ? "" : trimmed.joined(separator: "/") + "/"

        let region = [environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"]]
            .compactMap { $0 }.first { !$0.isEmpty } ?? "us-east-1"
        let endpointURL: URL
        if let endpoint {
            guard let url = URL(string: endpoint) else { throw .refused("S3 configuration: invalid endpoint '\(endpoint.prefix(200))'") }
            endpointURL = url
        } else {
            endpointURL = Self.awsEndpoint(region: region)
        }
        try self.init(
            bucket: bucket, keyPrefix: keyPrefix, endpoint: endpointURL, region: region,
            credentials: try S3Credentials(environment: environment), addressing: addressing
        )
    }

    public var description: String {
        "s3://\(bucket)/\(keyPrefix) at \(endpoint.absoluteString) (\(region), \(addressing.rawValue) addressing)"
    }

    /// The `Host` header: the endpoint's host, with the bucket in front for virtual-host
    /// addressing, and the port unless it is the scheme's default.
    var host: String {
        var host = endpoint.host ?? ""
        if host.contains(":") { host = "[\(host)]" }  // An IPv6 literal.
        if addressing == .virtualHost { host = "\(bucket).\(host)" }
        if let port = endpoint.port, port != (endpoint.scheme?.lowercased() == "https" ? 443 : 80) { host += ":\(port)" }
        return host
    }

    /// The URL of a request: `path` as signed (URI-encoded, starting with `/`), `query` as
    /// ``S3SigV4/canonicalQuery(_:)`` makes it.
    func url(path: String, query: String) -> String {
        let scheme = endpoint.scheme?.lowercased() ?? "https"
        return "\(scheme)://\(connectTo ?? host)\(path)\(query.isEmpty ? "" : "?" + query)"
    }

    /// The signed path of an object, or of the bucket when `key` is nil.
    func path(key: String?) -> String {
        let object = key.map { "/" + S3SigV4.uriEncode($0, keepSlash: true) } ?? ""
        switch addressing {
        case .path: return "/\(bucket)\(object)"  // Bucket names need no encoding.
        case .virtualHost: return object.isEmpty ? "/" : object
        }
    }

    static func isValidBucket(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count), let first = bytes.first, let last = bytes.last else { return false }
        func isLetterOrDigit(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        return isLetterOrDigit(first) && isLetterOrDigit(last)
            && bytes.allSatisfy { isLetterOrDigit($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
            && !name.contains("..")
    }

    static func isRegionByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
            || byte == UInt8(ascii: "-")
    }
}
