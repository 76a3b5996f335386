@testable import Archive
import Foundation
import Testing

@Suite struct S3ConfigurationTests {
    static let environment = ["AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "very-secret-key"]

    @Test func fromURLAndEnvironment() throws {
        var environment = Self.environment
        environment["AWS_DEFAULT_REGION"] = "eu-west-3"
        environment["AWS_SESSION_TOKEN"] = "session-token"
        let configuration = try S3Configuration(url: "s3://media-archive/antenne/prod/", endpoint: "http://127.0.0.1:9000", environment: environment)
        #expect(configuration.bucket == "media-archive")
        #expect(configuration.keyPrefix == "antenne/prod/")
        #expect(configuration.region == "eu-west-3")
        #expect(configuration.credentials == S3Credentials(accessKeyID: "AKIDTEST", secretAccessKey: "very-secret-key", sessionToken: "session-token"))
        #expect(configuration.addressing == .path)
        #expect(configuration.host == "127.0.0.1:9000")
        #expect(configuration.path(key: "antenne/prod/ch/1.m4s") == "/media-archive/antenne/prod/ch/1.m4s")
        #expect(configuration.path(key: nil) == "/media-archive")
        #expect(configuration.url(path: "/media-archive", query: "list-type=2") == "http://127.0.0.1:9000/media-archive?list-type=2")
    }

    @Test func regionPrecedenceAndAWSDefaults() throws {
        var environment = Self.environment
        #expect(try S3Configuration(url: "s3://bucket", environment: environment).region == "us-east-1")
        environment["AWS_DEFAULT_REGION"] = "eu-west-3"
        environment["AWS_REGION"] = "ap-south-1"
        let configuration = try S3Configuration(url: "s3://bucket", addressing: .virtualHost, environment: environment)
        #expect(configuration.region == "ap-south-1")
        #expect(configuration.keyPrefix == "")
        #expect(configuration.endpoint.absoluteString == "https://s3.ap-south-1.amazonaws.com")
        #expect(configuration.host == "bucket.s3.ap-south-1.amazonaws.com")
        #expect(configuration.path(key: "ch/1.m4s") == "/ch/1.m4s")
        #expect(configuration.path(key: nil) == "/")
    }

    @Test func virtualHostThroughAConnectAddress() throws {
        let configuration = try S3Configuration(
            bucket: "bucket", endpoint: URL(string: "http://localhost:5000")!,
            credentials: S3Credentials(accessKeyID: "a", secretAccessKey: "b"), addressing: .virtualHost, connectTo: "127.0.0.1:5000"
        )
        #expect(configuration.host == "bucket.localhost:5000")
        #expect(configuration.url(path: "/k", query: "") == "http://127.0.0.1:5000/k")
    }

    @Test(arguments: [
        "http://bucket/x", "s3://", "s3://Bucket/x", "s3://b/x", "s3://bucket:9000/x", "s3://bucket/a/../b", "s3://bucket/a//b",
        "s3://bucket/x?y=1", "s3://bucket/sp ace", "s3://-bucket/", "s3://user@bucket/",
    ])
    func invalidURLs(url: String) {
        #expect(throws: ArchiveError.self) { try S3Configuration(url: url, environment: Self.environment) }
    }

    @Test(arguments: ["ftp://host", "http://host/path", "http://host?x=1", "host:9000"])
    func invalidEndpoints(endpoint: String) {
        #expect(throws: ArchiveError.self) { try S3Configuration(url: "s3://bucket", endpoint: endpoint, environment: Self.environment) }
    }

    @Test func missingCredentialsAreRefused() {
        #expect(throws: ArchiveError.self) { try S3Configuration(url: "s3://bucket", environment: [:]) }
        #expect(throws: ArchiveError.self) {
            try S3Configuration(url: "s3://bucket", environment: ["AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": ""])
        }
    }

    /// Secrets never show in descriptions, debug descriptions, dumps or the configuration's text.
    @Test func secretsStayOutOfDescriptions() throws {
        var environment = Self.environment
        environment["AWS_SESSION_TOKEN"] = "session-token-value"
        let configuration = try S3Configuration(url: "s3://bucket/p", endpoint: "http://127.0.0.1:9000", environment: environment)
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [
            String(describing: configuration), String(reflecting: configuration), dumped,
            String(describing: configuration.credentials), String(reflecting: configuration.credentials),
        ] {
            #expect(!text.contains("very-secret-key"))
            #expect(!text.contains("session-token-value"))
        }
        #expect(String(describing: configuration.credentials).contains("AKIDTEST"))
    }
}
