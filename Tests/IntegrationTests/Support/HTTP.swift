import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

struct HTTPResult {
    var status: Int
    var headers: [String: String]
    var body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}

enum HTTP {
    static let session: URLSession = {
        let config = URLSessionConfiguration.ephemeral
        config.timeoutIntervalForRequest = 30
        config.requestCachePolicy = .reloadIgnoringLocalCacheData
        return URLSession(configuration: config)
    }()

    static func get(_ url: String, method: String = "GET", headers: [String: String] = [:], body: Data? = nil) async throws -> HTTPResult {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.httpBody = body
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        let (data, response) = try await session.data(for: request)
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (k, v) in http.allHeaderFields { headers["\(k)"] = "\(v)" }
        return HTTPResult(status: http.statusCode, headers: headers, body: data)
    }

    /// Polls until `url` answers 200, for at most `timeout`. A channel's master playlist needs
    /// three segments (6 s of media) from an encoder started by the test; with the whole suite
    /// running in parallel on two cores, the test encoders run well below real time, so the
    /// default leaves room for that.
    static func waitFor(_ url: String, timeout: Duration = .seconds(40)) async throws -> HTTPResult {
        let deadline = ContinuousClock.now + timeout
        var last: HTTPResult?
        while ContinuousClock.now < deadline {
            let result = try await get(url)
            if result.status == 200 { return result }
            last = result
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("\(url) did not answer 200 within \(timeout); last status \(last?.status ?? -1)")
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
