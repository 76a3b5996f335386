@testable import Archive
import NIOCore
import Testing

@Suite struct S3ResponseTests {
    @Test func listPage() throws {
        let body = ByteBuffer(string: """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Name>bucket</Name><Prefix>p/</Prefix><KeyCount>3</KeyCount><MaxKeys>1000</MaxKeys>
              <EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>
              <Contents><Key>p/ch/1.m4s</Key><LastModified>2026-11-22T10:00:00.000Z</LastModified>
                <ETag>&quot;d41d8cd98f00b204e9800998ecf8427e&quot;</ETag><Size>1234</Size><StorageClass>STANDARD</StorageClass></Contents>
              <Contents><Key>p/a%20b%2Bc</Key><Size>0</Size></Contents>
              <Contents><Key>p/x%26y</Key><Size>7</Size></Contents>
              <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
            </ListBucketResult>
            """)
        #expect(try S3ListPage(parsing: body) == S3ListPage(
            entries: [.init(key: "p/ch/1.m4s", size: 1234), .init(key: "p/a b+c", size: 0), .init(key: "p/x&y", size: 7)],
            continuationToken: "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="
        ))
    }

    @Test func lastListPageWithoutEncoding() throws {
        let body = ByteBuffer(string: "<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>a%41</Key><Size>1</Size></Contents></ListBucketResult>")
        #expect(try S3ListPage(parsing: body) == S3ListPage(entries: [.init(key: "a%41", size: 1)], continuationToken: nil))
    }

    @Test func delimiterListPage() throws {
        let body = ByteBuffer(string: """
            <ListBucketResult><EncodingType>url</EncodingType><IsTruncated>false</IsTruncated><Delimiter>/</Delimiter>
              <Contents><Key>p/ch/a.m4s</Key><Size>3</Size></Contents>
              <CommonPrefixes><Prefix>p/ch/720p/</Prefix></CommonPrefixes><CommonPrefixes><Prefix>p/ch/a%2Db/</Prefix></CommonPrefixes>
            </ListBucketResult>
            """)
        #expect(try S3ListPage(parsing: body) == S3ListPage(
            entries: [.init(key: "p/ch/a.m4s", size: 3)], commonPrefixes: ["p/ch/720p/", "p/ch/a-b/"], continuationToken: nil))
        #expect(throws: ArchiveError.self) {
            try S3ListPage(parsing: ByteBuffer(string: "<ListBucketResult><CommonPrefixes></CommonPrefixes></ListBucketResult>"))
        }
    }

    @Test(arguments: [
        "", "not xml", "<Error><Code>AccessDenied</Code></Error>", "<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>",
        "<ListBucketResult><Contents><Key>a</Key><Size>-1</Size></Contents></ListBucketResult>",
        "<ListBucketResult><Contents><Key>a</Key></Contents></ListBucketResult>",
        "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>",
        "<ListBucketResult><IsTruncated>maybe</IsTruncated></ListBucketResult>",
        "<ListBucketResult><Contents><Key>a</Key><Size>1</Size></Contents>",
        String(repeating: "<a>", count: 40) + String(repeating: "</a>", count: 40),
    ])
    func malformedListPages(text: String) {
        #expect {
            try S3ListPage(parsing: ByteBuffer(string: text))
        } throws: { error in
            if case .malformed = error as? ArchiveError { return true }
            return false
        }
    }

    @Test func errorBodyKeepsOnlyCodeAndMessage() {
        let body = ByteBuffer(string: """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match.</Message>
            <CanonicalRequest>GET /b x-amz-security-token:SECRET-TOKEN</CanonicalRequest><RequestId>1</RequestId></Error>
            """)
        let response = S3ErrorResponse(status: 403, body: body)
        #expect(response == S3ErrorResponse(status: 403, code: "SignatureDoesNotMatch", message: "The request signature we calculated does not match."))
        #expect(!response.archiveError("get k").description.contains("SECRET-TOKEN"))
        #expect(S3ErrorResponse(status: 502, body: ByteBuffer(string: "<html>Bad Gateway</html>")) == S3ErrorResponse(status: 502))
    }

    enum Kind { case full, unavailable, refused }

    @Test(arguments: [
        (403, "AccessDenied", Kind.refused), (403, "SignatureDoesNotMatch", .refused), (403, "InvalidAccessKeyId", .refused),
        (404, "NoSuchBucket", .refused), (400, "InvalidBucketName", .refused), (301, "PermanentRedirect", .refused),
        (400, "RequestTimeout", .unavailable), (500, "InternalError", .unavailable), (503, "SlowDown", .unavailable),
        (502, nil, .unavailable), (429, nil, .unavailable), (408, nil, .unavailable),
        (403, "QuotaExceeded", .full), (507, "XMinioStorageFull", .full), (507, nil, .full), (400, "XMinioAdminBucketQuotaExceeded", .full),
    ] as [(Int, String?, Kind)])
    func classification(status: Int, code: String?, kind: Kind) {
        let error = S3ErrorResponse(status: status, code: code, message: "m").archiveError("put k")
        switch (error, kind) {
        case (.full, .full), (.unavailable, .unavailable), (.refused, .refused): break
        default: Issue.record("HTTP \(status) \(code ?? "-") gave \(error)")
        }
        #expect(error.description.contains("put k: HTTP \(status)"))
    }
}
