import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Watches the mail-drop folder with inotify, on a thread of its own (its reads block; the cooperative pool never
/// waits for them), and tells the tracker of each email the moment the notifications service renames it into place
/// (`IN_MOVED_TO`): its kind, the application it concerns, when it appeared.
///
/// If the kernel's event queue overflows (the thread fell behind), the folder is listed again and each email not
/// seen yet is timed by its modification time instead.
final class MailDropWatcher: Sendable {
    let directory: String
    private let tracker: LoadTracker
    private let descriptor: Int32
    private let stopping = Atomic<Bool>(false)
    private let overflowCount = Atomic<Int>(0)

    /// Starts watching `directory`, which must exist.
    init(directory: String, tracker: LoadTracker) throws {
        self.directory = directory
        self.tracker = tracker
        descriptor = inotify_init1(Int32(IN_CLOEXEC))
        guard descriptor >= 0 else { throw WatchError(directory: directory, call: "inotify_init1", errno: errno) }
        guard inotify_add_watch(descriptor, directory, UInt32(IN_MOVED_TO)) >= 0 else {
            let code = errno
            close(descriptor)
            throw WatchError(directory: directory, call: "inotify_add_watch", errno: code)
        }
        let thread = Thread { [self] in watch() }
        thread.name = "mail-drop watcher"
        thread.start()
    }

    /// How many times the kernel's queue overflowed and the folder was listed instead.
    var overflows: Int { overflowCount.load(ordering: .relaxed) }

    /// Stops the thread (within 100 ms); it closes the inotify descriptor as it leaves.
    func stop() {
        stopping.store(true, ordering: .relaxed)
    }

    private func watch() {
        var seen = Set<String>()
        var buffer = [UInt8](repeating: 0, count: 256 * 1024)
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        defer { close(descriptor) }
        while !stopping.load(ordering: .relaxed) {
            guard poll(&poller, 1, 100) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { continue }
            let now = ContinuousClock.now
            var names: [String] = []
            var overflowed = false
            buffer.withUnsafeBytes { bytes in
                // struct inotify_event: int wd; uint32_t mask, cookie, len; char name[len] (NUL-padded).
                var offset = 0
                while offset + 16 <= count {
                    let mask = bytes.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self)
                    let length = Int(bytes.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                    let name = bytes[(offset + 16)..<(offset + 16 + length)].prefix { $0 != 0 }
                    if mask & UInt32(IN_Q_OVERFLOW) != 0 { overflowed = true }
                    if !name.isEmpty { names.append(String(decoding: name, as: UTF8.self)) }
                    offset += 16 + length
                }
            }
            for name in names where name.hasSuffix(".eml") && seen.insert(name).inserted {
                record(name, at: now)
            }
            if overflowed {
                overflowCount.add(1, ordering: .relaxed)
                rescan(&seen)
            }
        }
    }

    /// Lists the folder and records every email not seen yet, timed by its modification time.
    private func rescan(_ seen: inout Set<String>) {
        let wall = Date()
        let now = ContinuousClock.now
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasSuffix(".eml") && seen.insert(name).inserted {
            var status = stat()
            guard stat("\(directory)/\(name)", &status) == 0 else { continue }
            let modified = Double(status.st_mtim.tv_sec) + Double(status.st_mtim.tv_nsec) / 1e9
            let age = wall.timeIntervalSince1970 - modified
            record(name, at: now - .milliseconds(Int64((max(0, age) * 1000).rounded())))
        }
    }

    private func record(_ name: String, at instant: ContinuousClock.Instant) {
        let file = open("\(directory)/\(name)", O_RDONLY | O_CLOEXEC)
        guard file >= 0 else {
            tracker.email(kind: "unreadable", index: nil, at: instant)
            return
        }
        defer { close(file) }
        var head = [UInt8](repeating: 0, count: 4096)
        let count = head.withUnsafeMutableBytes { read(file, $0.baseAddress, $0.count) }
        let email = MailDropEmail(header: String(decoding: head.prefix(max(0, count)), as: UTF8.self))
        tracker.email(kind: email.kind ?? "unknown", index: email.applicationIndex, at: instant)
    }

    /// The folder could not be watched.
    struct WatchError: Error, CustomStringConvertible {
        let directory: String
        let call: String
        let errno: Int32
        var description: String {
            "cannot watch the mail drop \(directory): \(call): \(String(cString: strerror(errno)))"
        }
    }
}
