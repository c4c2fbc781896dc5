import Foundation

/// Memory of this process, for status reports, metrics and benchmarks.
public enum ProcessMemory {
    /// Current resident set size in bytes (from /proc/self/statm; 0 where unavailable).
    public static var residentBytes: Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * sysconf(Int32(_SC_PAGESIZE))
    }

    /// Peak resident set size so far in bytes (getrusage reports kilobytes on Linux).
    public static var peakResidentBytes: Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss * 1024
    }
}
