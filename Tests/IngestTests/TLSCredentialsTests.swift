import Foundation
import Ingest
import Testing
import TestSupport

struct TLSCredentialsTests {
    @Test func missingFileNamesThePath() throws {
        let pair = try TestCertificate.make()
        let missing = pair.certificatePath + ".missing"
        let error = #expect(throws: IngestError.self) {
            try TLSCredentials(certificatePath: missing, keyPath: pair.keyPath)
        }
        #expect(error?.description == "TLS certificate or key \(missing): no such file")
    }

    @Test func keyOfAnotherCertificateIsRefused() throws {
        let pair = try TestCertificate.make()
        let other = try TestCertificate.make()
        let error = #expect(throws: IngestError.self) {
            try TLSCredentials(certificatePath: pair.certificatePath, keyPath: other.keyPath)
        }
        #expect(error?.description.contains("does not match the certificate") == true, "\(String(describing: error))")
    }

    @Test func keyInPlaceOfTheCertificateIsRefused() throws {
        let pair = try TestCertificate.make()
        let error = #expect(throws: IngestError.self) {
            try TLSCredentials(certificatePath: pair.keyPath, keyPath: pair.keyPath)
        }
        #expect(error?.description.contains(pair.keyPath) == true)
    }

    @Test func oversizedFileIsRefusedUnread() throws {
        let pair = try TestCertificate.make()
        let big = pair.certificatePath + ".big"
        try Data(count: TLSCredentials.maximumFileSize + 1).write(to: URL(fileURLWithPath: big))
        let error = #expect(throws: IngestError.self) {
            try TLSCredentials(certificatePath: big, keyPath: pair.keyPath)
        }
        #expect(error?.description.contains("larger than 1024 KiB") == true)
    }
}
