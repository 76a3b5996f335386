@testable import Archive
import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// A real S3-compatible server for the test run: moto in server mode (`pip install
/// 'moto[server]'`, which `scripts/setup --tests` does), started on first use on a free loopback
/// port (``server``: `python3 -m moto.server` with one fix), under a small shell that stops it
/// within half a second of the test process exiting, however it exits.
///
/// Signatures are checked, as AWS does. While moto's authentication is still off, the setup
/// creates an IAM user allowed `s3:*` and an access key for it; then it turns authentication on
/// (`POST /moto-api/reset-auth`), so every later request must be signed with that key: a wrong
/// secret gets `SignatureDoesNotMatch`.
///
/// Every test gets its own bucket (``makeConfiguration(addressing:keyPrefix:)``).
public actor TestMoto {
    public static let shared = TestMoto()

    public struct Server: Sendable {
        public var port: Int
        public var credentials: S3Credentials
    }

    private var startup: Task<Server, any Error>?

    /// The running server, started on first use.
    public func server() async throws -> Server {
        if let startup { return try await startup.value }
        let task = Task { try await Self.start() }
        startup = task
        return try await task.value
    }

    /// A configuration for a new, empty bucket, which it creates.
    public func makeConfiguration(addressing: S3Configuration.Addressing, keyPrefix: String = "archive/test/") async throws -> S3Configuration {
        let server = try await server()
        let bucket = "antenne-\(UInt64.random(in: 0...UInt64.max) & 0xffff_ffff_ffff)"
        let configuration = try Self.configuration(port: server.port, bucket: bucket, credentials: server.credentials, addressing: addressing, keyPrefix: keyPrefix)
        let store = S3ArchiveStore(configuration: configuration)
        do {
            try await store.createBucket()
        } catch {
            await store.shutdown()
            throw error
        }
        await store.shutdown()
        return configuration
    }

    /// Path style straight to 127.0.0.1; virtual host as `bucket.localhost:PORT`, connecting to
    /// 127.0.0.1 since `*.localhost` does not resolve everywhere.
    public static func configuration(
        port: Int, bucket: String, credentials: S3Credentials, addressing: S3Configuration.Addressing, keyPrefix: String = ""
    ) throws -> S3Configuration {
        switch addressing {
        case .path:
            return try S3Configuration(
                bucket: bucket, keyPrefix: keyPrefix, endpoint: URL(string: "http://127.0.0.1:\(port)")!, credentials: credentials
            )
        case .virtualHost:
            return try S3Configuration(
                bucket: bucket, keyPrefix: keyPrefix, endpoint: URL(string: "http://localhost:\(port)")!, credentials: credentials,
                addressing: .virtualHost, connectTo: "127.0.0.1:\(port)"
            )
        }
    }

    /// Stores an object under any key, valid archive key or not, path style.
    public func rawPut(bucket: String, key: String, _ body: String) async throws {
        let server = try await server()
        let signer = S3SigV4(credentials: server.credentials, region: "us-east-1")
        let (status, answer) = try await Self.send(
            .PUT, port: server.port, path: "/\(bucket)/\(S3SigV4.uriEncode(key, keepSlash: true))", body: body, signer: signer
        )
        guard status == 200 else { throw TestMotoError("raw put of '\(key)': HTTP \(status) \(answer)") }
    }

    /// `python3 -m moto.server`, with one fix. With authentication on, moto checks a signature
    /// against the request URL as werkzeug rebuilds it, which decodes `%2F` and a few other
    /// characters in the query (moto issue 5948): every listing with a `prefix` would fail with
    /// `SignatureDoesNotMatch`, from any client. The fix checks it against the URL as sent, as S3 does.
    static let server = """
        import sys
        from flask import request
        import moto.iam.access_control as access_control
        from moto.server import main

        original_init = access_control.IAMRequestBase.__init__

        def init_with_the_path_as_sent(self, *args, **kwargs):
            if "path" in kwargs:
                kwargs["path"] = request.environ.get("RAW_URI", kwargs["path"])
            original_init(self, *args, **kwargs)

        access_control.IAMRequestBase.__init__ = init_with_the_path_as_sent
        main(sys.argv[1:])
        """

    static func start() async throws -> Server {
        let port = try FreePort.loopback()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("antenne-moto-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let log = directory.appendingPathComponent("moto.log")
        guard FileManager.default.createFile(atPath: log.path, contents: nil) else { throw TestMotoError("cannot create \(log.path)") }

        // The shell runs moto and stops it once this process is gone (or moto itself died).
        // SIGKILL, since children inherit this process's signal mask, which blocks SIGTERM.
        let script = """
            python3 -c "$MOTO_SERVER" -H 127.0.0.1 -p \(port) & moto=$!
            while kill -0 \(getpid()) 2>/dev/null && kill -0 $moto 2>/dev/null; do sleep 0.5; done
            kill -KILL $moto 2>/dev/null
            rm -rf '\(directory.path)'
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.environment = ProcessInfo.processInfo.environment.merging(["MOTO_SERVER": server]) { $1 }
        process.standardInput = FileHandle.nullDevice
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try output.close()

        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        do {
            let server = try await setUp(port: port, client: client, process: process, log: log)
            try await client.shutdown()
            return server
        } catch {
            try? await client.shutdown()
            throw error
        }
    }

    private static func setUp(port: Int, client: HTTPClient, process: Process, log: URL) async throws -> Server {
        func failure(_ what: String) -> TestMotoError {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            return TestMotoError(
                "\(what). Is moto installed (scripts/setup --tests, or pip install 'moto[server]')? Its output:\n\(text.suffix(2_000))"
            )
        }
        // Importing moto takes a few seconds on a busy machine.
        let deadline = ContinuousClock.now + .seconds(90)
        while true {
            guard process.isRunning else { throw failure("moto exited at start") }
            guard ContinuousClock.now < deadline else { throw failure("moto did not answer within 90 s") }
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/moto-api/data.json")
            request.method = .GET
            if let response = try? await client.execute(request, timeout: .seconds(5)), response.status == .ok {
                _ = try await response.body.collect(upTo: 16 << 20)
                break
            }
            try await Task.sleep(for: .milliseconds(200))
        }

        // Authentication is off: any signature goes, the IAM service is picked by its scope.
        let iam = S3SigV4(credentials: S3Credentials(accessKeyID: "AKIASETUP", secretAccessKey: "setup"), region: "us-east-1", service: "iam")
        func call(_ parameters: [(name: String, value: String)]) async throws -> S3XMLElement {
            let body = S3SigV4.canonicalQuery(parameters + [(name: "Version", value: "2010-05-08")])
            let (status, answer) = try await send(
                .POST, port: port, path: "/", body: body, contentType: "application/x-www-form-urlencoded; charset=utf-8", signer: iam, client: client
            )
            guard status == 200, let root = S3XMLElement.parse(ByteBuffer(string: answer)) else {
                throw failure("IAM \(parameters.first?.value ?? ""): HTTP \(status) \(answer)")
            }
            return root
        }
        let user = "antenne-archive"
        _ = try await call([(name: "Action", value: "CreateUser"), (name: "UserName", value: user)])
        _ = try await call([
            (name: "Action", value: "PutUserPolicy"), (name: "UserName", value: user), (name: "PolicyName", value: "s3"),
            (name: "PolicyDocument", value: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#),
        ])
        let created = try await call([(name: "Action", value: "CreateAccessKey"), (name: "UserName", value: user)])
        guard let key = created.child("CreateAccessKeyResult")?.child("AccessKey"), let id = key["AccessKeyId"], let secret = key["SecretAccessKey"] else {
            throw failure("CreateAccessKey answered without a key")
        }

        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/moto-api/reset-auth")
        request.method = .POST
        request.body = .bytes(ByteBuffer(string: "0"))
        let response = try await client.execute(request, timeout: .seconds(30))
        _ = try await response.body.collect(upTo: 1 << 20)
        guard response.status == .ok else { throw failure("moto did not turn authentication on: HTTP \(response.status)") }
        return Server(port: port, credentials: S3Credentials(accessKeyID: id, secretAccessKey: secret))
    }

    /// One signed request to the server on 127.0.0.1.
    static func send(
        _ method: HTTPMethod, port: Int, path: String, body: String, contentType: String? = nil, signer: S3SigV4, client: HTTPClient? = nil
    ) async throws -> (Int, String) {
        let host = "127.0.0.1:\(port)"
        var headers = [(name: "host", value: host)]
        if let contentType { headers.append((name: "content-type", value: contentType)) }
        let signed = S3SigV4.Request(method: method.rawValue, path: path, headers: headers, payloadHash: S3SigV4.hash(Data(body.utf8)))
        var request = HTTPClientRequest(url: "http://\(host)\(path)")
        request.method = method
        for (name, value) in headers + signer.sign(signed, at: Date()) { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: body))
        let http = client ?? HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton)
        do {
            let response = try await http.execute(request, timeout: .seconds(30))
            let answer = String(buffer: try await response.body.collect(upTo: 1 << 20))
            if client == nil { try await http.shutdown() }
            return (Int(response.status.code), answer)
        } catch {
            if client == nil { try? await http.shutdown() }
            throw error
        }
    }
}

public struct TestMotoError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
