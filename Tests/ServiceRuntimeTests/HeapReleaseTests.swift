import CMemory
import Foundation
import Synchronization
import Testing

@testable import ServiceRuntime

@Suite("Giving the heap's free memory back to the kernel")
struct HeapReleaseTests {
    @Test("free pages below an arena's top, which free() keeps, are released")
    func releasesFreePagesBelowTheTop() throws {
        // 4,096 blocks of 4 KiB (below glibc's mmap threshold, so they come from an arena), each written to so that
        // it is resident. The last one stays allocated: the 16 MiB freed before it lies below the arena's top, where
        // free() never trims.
        var blocks: [UnsafeMutableRawPointer] = []
        for _ in 0..<4096 {
            let block = try #require(malloc(4096))
            memset(block, 1, 4096)
            blocks.append(block)
        }
        let last = blocks.removeLast()
        for block in blocks { free(block) }
        #expect(npq_release_free_heap() == 1)
        free(last)
    }

    @Test(
        "the trimmer runs once the service is quiet after start-up, and again only after more work",
        .timeLimit(.minutes(1)))
    func trimsAfterWorkOnly() async throws {
        let transactions = Atomic(1)  // start-up
        let trimmer = HeapTrimService(activity: { transactions.load(ordering: .relaxed) }, tick: .milliseconds(20))
        let running = Task { try await trimmer.run() }
        defer { running.cancel() }

        while trimmer.trimCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
        // Without another commit there is nothing new to give back, however long it stays quiet.
        try await Task.sleep(for: .milliseconds(300))
        #expect(trimmer.trimCount == 1)

        transactions.add(1, ordering: .relaxed)
        while trimmer.trimCount == 1 { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(trimmer.trimCount == 2)
    }
}
