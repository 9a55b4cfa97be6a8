import Testing

@testable import AMQP

@Suite("Publisher confirm window")
struct PublisherConfirmWindowTests {
    @Test("tags are numbered from 1 in publish order")
    func numbering() {
        var window = PublisherConfirmWindow<String>()
        #expect(window.register("a") == 1)
        #expect(window.register("b") == 2)
        #expect(window.outstanding == 2)
    }

    @Test("a single ack settles only its own tag, in any order")
    func singleAck() {
        var window = PublisherConfirmWindow<Int>()
        for value in 1...3 { _ = window.register(value) }
        #expect(window.settle(tag: 2, multiple: false).map(\.entry) == [2])
        #expect(window.settle(tag: 2, multiple: false).isEmpty)
        #expect(window.settle(tag: 1, multiple: false).map(\.entry) == [1])
        #expect(window.outstanding == 1)
    }

    @Test("multiple settles everything up to and including the tag that is still outstanding")
    func multipleAck() {
        var window = PublisherConfirmWindow<Int>()
        for value in 1...5 { _ = window.register(value) }
        _ = window.settle(tag: 2, multiple: false)
        #expect(window.settle(tag: 4, multiple: true).map(\.tag) == [1, 3, 4])
        #expect(window.outstanding == 1)
        #expect(window.settle(tag: 9, multiple: true).map(\.tag) == [5])
    }

    @Test("multiple with tag 0 settles everything outstanding")
    func multipleZero() {
        var window = PublisherConfirmWindow<Int>()
        for value in 1...3 { _ = window.register(value) }
        #expect(window.settle(tag: 0, multiple: true).count == 3)
        #expect(window.outstanding == 0)
    }

    @Test("drain returns what is outstanding and numbering restarts at 1, as on a new channel")
    func drain() {
        var window = PublisherConfirmWindow<Int>()
        for value in 1...4 { _ = window.register(value) }
        _ = window.settle(tag: 1, multiple: false)
        #expect(window.drain().map(\.entry) == [2, 3, 4])
        #expect(window.register(9) == 1)
    }

    @Test("a long run with interleaved acks keeps tags and entries aligned")
    func longRun() {
        var window = PublisherConfirmWindow<UInt64>()
        var settled: [UInt64] = []
        for value in UInt64(1)...20_000 {
            #expect(window.register(value) == value)
            if value % 7 == 0 { settled += window.settle(tag: value - 3, multiple: false).map(\.entry) }
            if value % 100 == 0 { settled += window.settle(tag: value - 10, multiple: true).map(\.entry) }
        }
        settled += window.settle(tag: 20_000, multiple: true).map(\.entry)
        #expect(settled.sorted() == Array(1...20_000))
        #expect(Set(settled).count == 20_000)
        #expect(window.outstanding == 0)
    }
}
