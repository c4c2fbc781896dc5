import SealAPI

enum OpenAPIDocumentProbe {
    static var embedded: String { OpenAPIDocument.yaml }
}
