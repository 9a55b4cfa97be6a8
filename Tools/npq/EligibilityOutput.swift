import Foundation

/// Standard output for many short lines: buffered, written in blocks of 64 KiB and when the input has no line ready,
/// so that a large batch costs few system calls while an interactive or piped-line-by-line caller still sees each
/// answer as soon as it is decided.
struct EligibilityOutput {
    private var buffer: [UInt8] = []
    private static let blockSize = 64 * 1024

    init() { buffer.reserveCapacity(Self.blockSize + 4096) }

    /// Adds `line` and a newline; writes the buffer when it is full or nothing more is waiting on standard input.
    mutating func write(_ line: String) {
        buffer.append(contentsOf: line.utf8)
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= Self.blockSize || !Self.inputWaiting() { flush() }
    }

    /// Writes what is buffered.
    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    /// Whether standard input has bytes that can be read without waiting.
    private static func inputWaiting() -> Bool {
        var descriptor = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) > 0
    }
}
