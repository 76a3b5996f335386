@testable import Archive
import Crypto
import Foundation
import Testing

/// The published examples: "Examples of Signature Calculations" in the Amazon S3 API Reference
/// (sig-v4-header-based-auth), the SigV4 test suite's get-vanilla cases and the IAM User Guide's
/// signing-key derivation.
@Suite struct S3SigV4Tests {
    static let s3Signer = S3SigV4(
        credentials: S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1"
    )
    /// 20130524T000000Z, the time of the S3 examples.
    static let s3ExampleDate = Date(timeIntervalSince1970: 1_369_353_600)
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let exampleHost = (name: "Host", value: "examplebucket.s3.amazonaws.com")

    static func value(_ headers: [(name: String, value: String)], _ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }

    static func signature(_ headers: [(name: String, value: String)]) -> String? {
        value(headers, "authorization")?.split(separator: "Signature=").last.map(String.init)
    }

    /// "Example: GET Object": every step, from the canonical request to the header.
    @Test func s3GetObjectExample() {
        let request = S3SigV4.Request(
            method: "GET", path: "/test.txt", headers: [Self.exampleHost, (name: "Range", value: "bytes=0-9")], payloadHash: Self.emptyHash
        )
        let added = Self.s3Signer.sign(request, at: Self.s3ExampleDate)
        #expect(Self.value(added, "x-amz-date") == "20130524T000000Z")
        #expect(Self.value(added, "x-amz-content-sha256") == Self.emptyHash)
        #expect(Self.value(added, "x-amz-security-token") == nil)

        var signed = request
        signed.headers += added.filter { $0.name != "authorization" }
        let (canonical, signedHeaders) = S3SigV4.canonicalRequest(signed)
        #expect(canonical == """
            GET
            /test.txt

            host:examplebucket.s3.amazonaws.com
            range:bytes=0-9
            x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            x-amz-date:20130524T000000Z

            host;range;x-amz-content-sha256;x-amz-date
            e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
            """)
        #expect(signedHeaders == "host;range;x-amz-content-sha256;x-amz-date")
        #expect(S3SigV4.stringToSign(timestamp: "20130524T000000Z", scope: "20130524/us-east-1/s3/aws4_request", canonicalRequest: canonical) == """
            AWS4-HMAC-SHA256
            20130524T000000Z
            20130524/us-east-1/s3/aws4_request
            7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
            """)
        #expect(Self.value(added, "authorization") == """
            AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,\
            SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,\
            Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41
            """)
    }

    /// "Example: PUT Object": a body, a key with a reserved character, extra headers.
    @Test func s3PutObjectExample() {
        let body = Data("Welcome to Amazon S3.".utf8)
        #expect(S3SigV4.hash(body) == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let request = S3SigV4.Request(
            method: "PUT", path: "/" + S3SigV4.uriEncode("test$file.text", keepSlash: true),
            headers: [
                Self.exampleHost, (name: "Date", value: "Fri, 24 May 2013 00:00:00 GMT"),
                (name: "x-amz-storage-class", value: "REDUCED_REDUNDANCY"),
            ],
            payloadHash: S3SigV4.hash(body)
        )
        #expect(request.path == "/test%24file.text")
        let added = Self.s3Signer.sign(request, at: Self.s3ExampleDate)
        #expect(Self.value(added, "authorization")?.contains("SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,") == true)
        #expect(Self.signature(added) == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    /// "Example: GET Bucket Lifecycle": a query parameter without a value signs as `lifecycle=`.
    @Test func s3GetBucketLifecycleExample() {
        let request = S3SigV4.Request(
            method: "GET", path: "/", query: [(name: "lifecycle", value: "")], headers: [Self.exampleHost], payloadHash: Self.emptyHash
        )
        #expect(Self.signature(Self.s3Signer.sign(request, at: Self.s3ExampleDate)) == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    /// "Example: Get Bucket (List Objects)": query parameters are sorted.
    @Test func s3ListObjectsExample() {
        let request = S3SigV4.Request(
            method: "GET", path: "/", query: [(name: "prefix", value: "J"), (name: "max-keys", value: "2")],
            headers: [Self.exampleHost], payloadHash: Self.emptyHash
        )
        #expect(Self.signature(Self.s3Signer.sign(request, at: Self.s3ExampleDate)) == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    /// The SigV4 test suite's get-vanilla and get-vanilla-query-order-key-case (service
    /// `service`, so no `x-amz-content-sha256`).
    @Test(arguments: [
        ([(name: String, value: String)](), "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
        ([(name: "Param2", value: "value2"), (name: "Param1", value: "value1")], "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
    ])
    func testSuiteGetVanilla(query: [(name: String, value: String)], expected: String) {
        let signer = S3SigV4(
            credentials: S3Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            region: "us-east-1", service: "service"
        )
        let request = S3SigV4.Request(
            method: "GET", path: "/", query: query, headers: [(name: "Host", value: "example.amazonaws.com")], payloadHash: Self.emptyHash
        )
        let added = signer.sign(request, at: Date(timeIntervalSince1970: 1_440_938_160))  // 20150830T123600Z
        #expect(added.map(\.name) == ["x-amz-date", "authorization"])
        #expect(Self.value(added, "authorization") == """
            AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request,\
            SignedHeaders=host;x-amz-date,Signature=\(expected)
            """)
    }

    /// "Derive a signing key" (IAM User Guide): the published kSigning.
    @Test func signingKeyDerivation() {
        let key = S3SigV4.signingKey(secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", day: "20150830", region: "us-east-1", service: "iam")
        #expect(key.withUnsafeBytes { S3SigV4.hex($0) } == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
    }

    /// Temporary credentials: the token is sent and signed.
    @Test func sessionTokenIsSentAndSigned() {
        var credentials = Self.s3Signer.credentials
        credentials.sessionToken = "token/with+odd=chars"
        let signer = S3SigV4(credentials: credentials, region: "us-east-1")
        let request = S3SigV4.Request(method: "GET", path: "/test.txt", headers: [Self.exampleHost], payloadHash: Self.emptyHash)
        let added = signer.sign(request, at: Self.s3ExampleDate)
        #expect(Self.value(added, "x-amz-security-token") == "token/with+odd=chars")
        #expect(Self.value(added, "authorization")?.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,") == true)
        #expect(Self.signature(added) != Self.signature(Self.s3Signer.sign(request, at: Self.s3ExampleDate)))
    }

    @Test func canonicalHeaderValuesAreTrimmedAndJoined() {
        let request = S3SigV4.Request(
            method: "GET", path: "/",
            headers: [(name: "Host", value: "h"), (name: "X-Amz-Meta-A", value: "  a   b  "), (name: "x-amz-meta-a", value: "c")],
            payloadHash: Self.emptyHash
        )
        let (canonical, signedHeaders) = S3SigV4.canonicalRequest(request)
        #expect(canonical.contains("\nhost:h\nx-amz-meta-a:a b,c\n\n"))
        #expect(signedHeaders == "host;x-amz-meta-a")
    }

    @Test(arguments: [
        ("a b/c~d%é", true, "a%20b/c~d%25%C3%A9"),
        ("a/b", false, "a%2Fb"),
        ("+=&?#*", false, "%2B%3D%26%3F%23%2A"),
        ("A-z_0.9~", false, "A-z_0.9~"),
        ("ch/720p/20261122/10/000000000001.m4s", true, "ch/720p/20261122/10/000000000001.m4s"),
    ])
    func uriEncoding(text: String, keepSlash: Bool, expected: String) {
        #expect(S3SigV4.uriEncode(text, keepSlash: keepSlash) == expected)
    }

    @Test(arguments: [(0.0, "19700101T000000Z"), (951_782_400.9, "20000229T000000Z"), (4_102_444_799, "20991231T235959Z")])
    func timestamps(seconds: Double, expected: String) {
        #expect(S3SigV4.timestamp(Date(timeIntervalSince1970: seconds)) == expected)
    }
}
