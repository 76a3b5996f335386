import Foundation
import NIOCore

#if canImport(FoundationXML)
import FoundationXML
#endif

/// An element of an S3 XML answer: its name (without namespace), text and child elements.
/// Attributes are dropped: nothing the store reads is in one.
struct S3XMLElement: Sendable, Equatable {
    var name: String
    var text = ""
    var children: [S3XMLElement] = []

    /// Deepest nesting read: S3's answers go four levels deep (`ListBucketResult/Contents/Owner/ID`).
    static let maximumDepth = 16

    func child(_ name: String) -> S3XMLElement? { children.first { $0.name == name } }
    func children(_ name: String) -> [S3XMLElement] { children.filter { $0.name == name } }
    /// The text of the first child called `name`.
    subscript(_ name: String) -> String? { child(name)?.text }

    /// The document's root element, or nil if the bytes are not well-formed XML (or nest deeper
    /// than ``maximumDepth``). External entities are never loaded (`XMLParser`'s default).
    static func parse(_ bytes: ByteBuffer) -> S3XMLElement? {
        let parser = XMLParser(data: Data(bytes.readableBytesView))
        let builder = Builder()
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else { return nil }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var open: [S3XMLElement] = []
        var root: S3XMLElement?

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            guard open.count < S3XMLElement.maximumDepth, root == nil else { return parser.abortParsing() }
            open.append(S3XMLElement(name: name))
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            guard let element = open.popLast() else { return parser.abortParsing() }
            if open.isEmpty {
                root = element
            } else {
                open[open.count - 1].children.append(element)
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !open.isEmpty else { return }
            open[open.count - 1].text += string
        }

        func parser(_ parser: XMLParser, foundCDATA block: Data) {
            guard !open.isEmpty else { return }
            open[open.count - 1].text += String(decoding: block, as: UTF8.self)
        }
    }
}
