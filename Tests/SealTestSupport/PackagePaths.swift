import Foundation

/// The package's root folder, found from this file's path so tests run the
/// same from `swift test`, an IDE or CI, whatever the working directory.
public enum PackagePaths {
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()
}
