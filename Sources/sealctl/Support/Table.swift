/// A table with aligned columns, like `docker ps`: upper-case headers, two spaces between
/// columns, the last column unpadded so long text does not add trailing blanks.
struct Table {
    enum Alignment { case left, right }

    private let headers: [String]
    private let alignments: [Alignment]
    private var rows: [[String]] = []

    init(_ headers: String..., alignments: [Alignment] = []) {
        self.init(headers, alignments: alignments)
    }

    /// For tables whose columns are only known at run time (grids).
    init(_ headers: [String], alignments: [Alignment] = []) {
        self.headers = headers
        self.alignments = headers.indices.map { $0 < alignments.count ? alignments[$0] : .left }
    }

    mutating func add(_ cells: String...) {
        add(cells)
    }

    mutating func add(_ cells: [String]) {
        rows.append(headers.indices.map { $0 < cells.count ? cells[$0] : "" })
    }

    var isEmpty: Bool { rows.isEmpty }

    func rendered() -> String {
        let all = [headers] + rows
        let widths = headers.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        return all.map { row in
            row.indices.map { column in
                let cell = row[column]
                let isLast = column == row.count - 1
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                switch alignments[column] {
                case .right: return padding + cell
                case .left: return isLast ? cell : cell + padding
                }
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n") + "\n"
    }

    /// Prints the table, or `empty` when it has no rows (so an empty list still says something).
    func print(empty: String) {
        Terminal.standardOutput.write(isEmpty ? empty + "\n" : rendered())
    }
}

/// `key  value` lines with the keys aligned, for `show` commands.
struct Details {
    private var pairs: [(String, String)] = []

    /// Adds a line; a key already present gets the new value in its place.
    mutating func add(_ key: String, _ value: String?) {
        guard let value else { return }
        if let index = pairs.firstIndex(where: { $0.0 == key }) {
            pairs[index].1 = value
        } else {
            pairs.append((key, value))
        }
    }

    func rendered() -> String {
        let width = pairs.map(\.0.count).max() ?? 0
        return pairs.map { key, value in
            key + String(repeating: " ", count: width - key.count + 2) + value
        }.joined(separator: "\n") + "\n"
    }

    func print() { Terminal.standardOutput.write(rendered()) }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var result = self
        while result.last == " " { result.removeLast() }
        return result
    }
}
