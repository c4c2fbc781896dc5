import Foundation
import SealAPI

/// A job's growing list of finished records (dataset samples, evaluation and grid results),
/// kept as one JSON line per record in `jobs/<id>.checkpoint.jsonl`.
///
/// Saving the whole list after each record made a job's checkpoint writes grow with the
/// square of its length: a 10,000-sample dataset of 9K-token prompts (about 40 KB each) would
/// have rewritten some 2 TB; a 100,000-sample grid, about 1 TB. Appending costs one record.
/// Each append is written whole and fsynced before the job moves on, so after `kill -9` the
/// log holds every finished record, plus at most one torn last line, which reading drops.
enum CheckpointLog {
    static let suffix = ".checkpoint.jsonl"

    /// Appends `line` (one JSON value, no newline) and a newline, then fsyncs; the directory
    /// is fsynced too when the file is new, so the record's name survives a crash as well.
    static func append(_ line: Data, to url: URL) throws {
        var flags = O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC
        var fd = open(url.path, flags)
        let created = fd < 0 && errno == ENOENT
        if created {
            flags |= O_CREAT | O_EXCL
            fd = open(url.path, flags, 0o640)
        }
        guard fd >= 0 else { throw StateError.io(path: url.path, operation: "open", errno: errno) }
        defer { close(fd) }
        var record = line
        record.append(0x0A)
        guard AtomicFile.writeAll(record, to: fd), fsync(fd) == 0 else {
            throw StateError.io(path: url.path, operation: "append to", errno: errno)
        }
        if created { AtomicFile.syncDirectory(of: url) }
    }

    /// The records of a log's complete lines, in order, up to the first line that does not
    /// decode (a write torn by a crash: everything after it is dropped too), and the byte
    /// length of that good prefix.
    static func records<T: Decodable>(_ type: T.Type, in data: Data) -> (records: [T], goodBytes: Int) {
        let decoder = APIJSON.decoder()
        var records: [T] = []
        var start = data.startIndex
        while let newline = data[start...].firstIndex(of: 0x0A) {
            guard let record = try? decoder.decode(T.self, from: data[start..<newline]) else { break }
            records.append(record)
            start = data.index(after: newline)
        }
        return (records, start - data.startIndex)
    }
}

extension StateStore {
    /// Saves one more finished record of a job whose checkpoint is a list (see ``CheckpointLog``).
    public func appendCheckpointRecord<T: Encodable>(_ record: T, job id: String) throws {
        try CheckpointLog.append(try APIJSON.encode(record), to: file(jobsDirectory, id, CheckpointLog.suffix))
    }

    /// The records a job saved with ``appendCheckpointRecord(_:job:)``, in order.
    ///
    /// A torn last line is dropped and cut from the file, so the next append starts a clean
    /// line. With no log yet, `legacy` may read the records from a whole-list checkpoint an
    /// older seald wrote (`<id>.checkpoint.json`): they are moved into a new log first, so a
    /// job interrupted before an upgrade resumes where it stopped.
    ///
    /// A log that exists but cannot be read (larger than seald reads back, not a regular file)
    /// throws: starting the job over would append to it again and never finish.
    public func checkpointRecords<T: Codable>(_ type: T.Type, job id: String,
                                              legacy: (Data) -> [T]? = { try? APIJSON.decoder().decode([T].self, from: $0) })
        throws -> [T]
    {
        let url = try file(jobsDirectory, id, CheckpointLog.suffix)
        var status = stat()
        if lstat(url.path, &status) == 0 {
            let data = try StateDirectory.read(url)
            let (records, good) = CheckpointLog.records(T.self, in: data)
            if good < data.count {
                logger.warning("job \(id): dropped \(data.count - good) bytes after \(records.count) checkpoint records (a write cut short by a crash)")
                if truncate(url.path, off_t(good)) != 0 {
                    logger.error("job \(id): cannot cut the torn bytes from \(url.lastPathComponent): \(String(cString: strerror(errno))); records appended after them will not be read back")
                }
            }
            return records
        }
        guard let legacyURL = try? file(jobsDirectory, id, ".checkpoint.json"),
              let data = try? StateDirectory.read(legacyURL), let records = legacy(data), !records.isEmpty,
              let lines = try? records.map({ try APIJSON.encode($0) })
        else { return [] }
        var log = Data()
        for line in lines { log.append(line); log.append(0x0A) }
        guard (try? AtomicFile.write(log, to: url)) != nil else { return records }
        logger.notice("job \(id): \(records.count) checkpoint records moved from a whole-list checkpoint to \(url.lastPathComponent)")
        return records
    }
}
