/// Tracks published messages awaiting their publisher confirm on one channel.
///
/// After `confirm.select` the broker numbers a channel's publishes 1, 2, 3 … and acks or nacks them by that
/// number, singly or (`multiple`) everything up to it, in any grouping. rabbitmq-c keeps no such record, so this
/// value type does: ``register(_:)`` returns the tag a publish will get, ``settle(tag:multiple:)`` hands back the
/// entries a broker ack or nack covers, and ``drain()`` everything still outstanding when the channel dies.
struct PublisherConfirmWindow<Entry> {
    /// Entries by tag: `storage[i]` has tag `firstTag + i`; `nil` once settled.
    private var storage: [Entry?] = []
    /// Index of the oldest entry that may still be outstanding.
    private var head = 0
    private var firstTag: UInt64 = 1

    /// How many publishes await their confirm.
    private(set) var outstanding = 0

    /// The outstanding entries, oldest first.
    var entries: some Sequence<Entry> { storage[head...].lazy.compactMap { $0 } }

    /// The tag the next publish on this channel will have.
    var nextTag: UInt64 { firstTag + UInt64(storage.count) }

    /// Records a publish about to be sent and returns its delivery tag.
    mutating func register(_ entry: Entry) -> UInt64 {
        storage.append(entry)
        outstanding += 1
        return nextTag - 1
    }

    /// The entries settled by a broker `basic.ack` or `basic.nack` with this tag, oldest first. Tags the window
    /// does not know (already settled, or never sent) settle nothing.
    mutating func settle(tag: UInt64, multiple: Bool) -> [(tag: UInt64, entry: Entry)] {
        var settled: [(tag: UInt64, entry: Entry)] = []
        if multiple {
            // Tag 0 with `multiple` means every outstanding message (AMQP 0-9-1, basic.ack).
            let last = tag == 0 ? storage.count - 1 : Int(min(tag &- firstTag, UInt64(storage.count - 1)))
            if tag != 0, tag < firstTag { return [] }
            if head <= last {
                for index in head...last {
                    if let entry = storage[index] {
                        settled.append((firstTag + UInt64(index), entry))
                        storage[index] = nil
                    }
                }
            }
        } else if tag >= firstTag, tag < nextTag {
            let index = Int(tag - firstTag)
            if let entry = storage[index] {
                settled.append((tag, entry))
                storage[index] = nil
            }
        }
        outstanding -= settled.count
        compact()
        return settled
    }

    /// Removes and returns every outstanding entry, oldest first, and starts numbering again at 1, as a newly
    /// opened channel does.
    mutating func drain() -> [(tag: UInt64, entry: Entry)] {
        var drained: [(tag: UInt64, entry: Entry)] = []
        for index in head..<storage.count {
            if let entry = storage[index] { drained.append((firstTag + UInt64(index), entry)) }
        }
        self = PublisherConfirmWindow()
        return drained
    }

    /// Drops settled entries from the front so memory stays proportional to what is outstanding.
    private mutating func compact() {
        while head < storage.count, storage[head] == nil { head += 1 }
        if head == storage.count {
            firstTag += UInt64(storage.count)
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 4096, head * 2 >= storage.count {
            storage.removeFirst(head)
            firstTag += UInt64(head)
            head = 0
        }
    }
}
