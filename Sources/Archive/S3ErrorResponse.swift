import NIOCore

/// An S3 error answer ("Error responses", Amazon S3 API Reference): the HTTP status and, when the
/// body is the usual `<Error><Code>…</Code><Message>…</Message></Error>`, its code and message.
/// Nothing else of the body is kept: a `SignatureDoesNotMatch` answer echoes the canonical
/// request, session token included.
struct S3ErrorResponse: Equatable {
    var status: Int
    var code: String?
    var message: String?

    /// Error codes that mean "no space left": Ceph RGW's quota answer and MinIO's full disks and
    /// bucket quota. (AWS itself has no quota on a bucket.)
    static let fullCodes: Set<String> = ["QuotaExceeded", "XMinioStorageFull", "XMinioAdminBucketQuotaExceeded"]

    /// Error codes that may pass, whatever their status: a dropped upload, throttling, a busy
    /// or failing server.
    static let transientCodes: Set<String> = [
        "RequestTimeout", "SlowDown", "InternalError", "ServiceUnavailable", "OperationAborted", "Busy",
    ]

    init(status: Int, code: String? = nil, message: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
    }

    init(status: Int, body: ByteBuffer) {
        // HEAD answers and some proxies have no body, or not an S3 one: the status says enough.
        let root = S3XMLElement.parse(body)
        self.init(status: status, code: root?.name == "Error" ? root?["Code"] : nil, message: root?.name == "Error" ? root?["Message"] : nil)
    }

    /// The error to throw, `what` naming the operation: `.full` for quota answers (and HTTP 507
    /// Insufficient Storage), `.unavailable` for 5xx, 408, 429 and the transient codes,
    /// `.refused` for the rest (403 bad signature or key, a missing bucket, redirects to another
    /// region, other 4xx).
    func archiveError(_ what: String) -> ArchiveError {
        var detail = "\(what): HTTP \(status)"
        if let code { detail += " \(code.prefix(64))" }
        if let message, !message.isEmpty { detail += ": \(message.prefix(200))" }
        if let code, Self.fullCodes.contains(code) { return .full(detail) }
        if status == 507 { return .full(detail) }
        if status >= 500 || status == 408 || status == 429 { return .unavailable(detail) }
        if let code, Self.transientCodes.contains(code) { return .unavailable(detail) }
        return .refused(detail)
    }
}
