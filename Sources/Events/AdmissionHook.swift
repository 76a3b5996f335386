import AsyncHTTPClient
import Control
import Foundation
import Logging
import NIOCore
import ServiceLifecycle

/// Where the admission hook is and how long it may think.
public struct AdmissionHookConfiguration: Sendable {
    public var url: String
    /// The hook must answer within this; otherwise the publish is refused (fail closed).
    public var timeout: Duration = .seconds(2)
    /// Signs each request like a webhook delivery (`Antenne-Signature`), when set.
    public var secret: String?

    public init(url: String, timeout: Duration = .seconds(2), secret: String? = nil) {
        self.url = url
        self.timeout = timeout
        self.secret = secret
    }
}

/// Asks an HTTP endpoint whether a publish may go ahead, as nginx-rtmp's `on_publish` does: a
/// POST of ``AdmissionRequest`` as JSON; a 2xx answer admits, anything else refuses. No answer
/// within the timeout, or no connection, refuses too: the hook fails closed. The stream key never
/// leaves the server; the hook gets the key's id.
public final class AdmissionHook: Service, Sendable {
    private let configuration: AdmissionHookConfiguration
    private let client: HTTPClient
    private let logger: Logger

    /// Bytes of the hook's answer that are read (and ignored): the status decides.
    static let responseBodyLimit = 4_096

    public init(configuration: AdmissionHookConfiguration, eventLoopGroup: any EventLoopGroup, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        let timeout = TimeAmount(configuration.timeout)
        self.client = HTTPClient(
            eventLoopGroup: eventLoopGroup,
            configuration: HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: timeout, read: timeout)),
            backgroundActivityLogger: logger
        )
    }

    /// Whether the hook admits `request`. Logs one line when it refuses or cannot be asked.
    public func admits(_ request: AdmissionRequest) async -> Bool {
        var metadata: Logger.Metadata = ["channel": "\(request.channel.name)", "hook": "\(WebhookSender.redacted(configuration.url))"]
        do {
            let body = try request.json()
            var http = HTTPClientRequest(url: configuration.url)
            http.method = .POST
            http.headers.add(name: "Content-Type", value: WebhookSignature.contentType)
            http.headers.add(name: "User-Agent", value: "Antenne-Admission/1")
            if let secret = configuration.secret {
                let timestamp = Int64(Date().timeIntervalSince1970.rounded(.down))
                http.headers.add(name: WebhookSignature.signatureHeader, value: WebhookSignature.header(body: body, secret: secret, timestamp: timestamp))
            }
            http.body = .bytes(ByteBuffer(bytes: body))
            let response = try await client.execute(http, timeout: TimeAmount(configuration.timeout))
            _ = try await response.body.collect(upTo: Self.responseBodyLimit)
            guard (200..<300).contains(response.status.code) else {
                metadata["status"] = "\(response.status.code)"
                logger.notice("publish refused by the admission hook", metadata: metadata)
                return false
            }
            return true
        } catch {
            metadata["error"] = "\(error)"
            logger.warning("admission hook not answered in time or unreachable; publish refused", metadata: metadata)
            return false
        }
    }

    public func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}

/// The JSON an admission hook receives:
///
/// ```json
/// {"channel":{"id":"…","name":"match1"},"createdAt":"2026-05-01T18:00:00.123Z",
///  "organisationId":"…","protocol":"rtmp","remoteAddress":"[IPv4]203.0.113.7/203.0.113.7:53211",
///  "streamKeyId":"…","type":"publish"}
/// ```
///
/// `protocol` is how the publisher came in: `rtmp` or `rtmps`, and the other sources as they are added.
public struct AdmissionRequest: Encodable, Sendable {
    public struct ChannelReference: Encodable, Sendable {
        let id: UUID
        let name: String

        public init(id: UUID, name: String) {
            self.id = id
            self.name = name
        }
    }

    let type = "publish"
    let channel: ChannelReference
    let organisationId: UUID
    let streamKeyId: UUID
    let remoteAddress: String?
    let `protocol`: String
    let createdAt: Date

    public init(
        channel: ChannelReference, organisationId: UUID, streamKeyId: UUID, remoteAddress: String?, protocol: String, createdAt: Date
    ) {
        self.channel = channel
        self.organisationId = organisationId
        self.streamKeyId = streamKeyId
        self.remoteAddress = remoteAddress
        self.protocol = `protocol`
        self.createdAt = createdAt
    }

    func json() throws -> [UInt8] {
        let encoder = JSONEncoder.events()
        return Array(try encoder.encode(self))
    }
}
