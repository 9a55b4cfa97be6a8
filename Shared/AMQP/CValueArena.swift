import CRabbitMQ
import Foundation

/// Holds the C memory behind the `amqp_bytes_t`, tables and properties handed to one rabbitmq-c call, and frees
/// it all when reset. Confined to the connection's thread.
final class CValueArena {
    private var allocations: [UnsafeMutableRawPointer] = []

    deinit { reset() }

    /// Frees everything allocated since the last reset.
    func reset() {
        for pointer in allocations { free(pointer) }
        allocations.removeAll(keepingCapacity: true)
    }

    private func allocate(_ size: Int) -> UnsafeMutableRawPointer {
        let pointer = malloc(max(size, 1))!
        allocations.append(pointer)
        return pointer
    }

    func bytes(_ string: String) -> amqp_bytes_t {
        var string = string
        return string.withUTF8 { bytes(UnsafeRawBufferPointer($0)) }
    }

    func bytes(_ buffer: UnsafeRawBufferPointer) -> amqp_bytes_t {
        guard buffer.count > 0, let base = buffer.baseAddress else { return amqp_empty_bytes }
        let pointer = allocate(buffer.count)
        pointer.copyMemory(from: base, byteCount: buffer.count)
        return amqp_bytes_t(len: buffer.count, bytes: pointer)
    }

    func table(_ table: AMQPTable) -> amqp_table_t {
        guard !table.isEmpty else { return amqp_empty_table }
        let entries = allocate(MemoryLayout<amqp_table_entry_t>.stride * table.count)
            .bindMemory(to: amqp_table_entry_t.self, capacity: table.count)
        // Sorted so the same table always encodes to the same bytes.
        for (index, key) in table.keys.sorted().enumerated() {
            entries[index] = amqp_table_entry_t(key: bytes(key), value: fieldValue(table[key]!))
        }
        return amqp_table_t(num_entries: Int32(table.count), entries: entries)
    }

    func fieldValue(_ value: AMQPFieldValue) -> amqp_field_value_t {
        var field = amqp_field_value_t()
        switch value {
        case .bool(let flag):
            field.kind = kind(AMQP_FIELD_KIND_BOOLEAN)
            field.value.boolean = flag ? 1 : 0
        case .int(let number):
            field.kind = kind(AMQP_FIELD_KIND_I64)
            field.value.i64 = number
        case .double(let number):
            field.kind = kind(AMQP_FIELD_KIND_F64)
            field.value.f64 = number
        case .string(let text):
            field.kind = kind(AMQP_FIELD_KIND_UTF8)
            field.value.bytes = bytes(text)
        case .bytes(let raw):
            field.kind = kind(AMQP_FIELD_KIND_BYTES)
            field.value.bytes = raw.withUnsafeBytes { bytes($0) }
        case .timestamp(let date):
            field.kind = kind(AMQP_FIELD_KIND_TIMESTAMP)
            field.value.u64 = amqpSeconds(date)
        case .table(let nested):
            field.kind = kind(AMQP_FIELD_KIND_TABLE)
            field.value.table = table(nested)
        case .array(let values):
            field.kind = kind(AMQP_FIELD_KIND_ARRAY)
            let entries = allocate(MemoryLayout<amqp_field_value_t>.stride * max(values.count, 1))
                .bindMemory(to: amqp_field_value_t.self, capacity: max(values.count, 1))
            for (index, element) in values.enumerated() { entries[index] = fieldValue(element) }
            field.value.array = amqp_array_t(num_entries: Int32(values.count), entries: entries)
        case .void:
            field.kind = kind(AMQP_FIELD_KIND_VOID)
        }
        return field
    }

    func properties(_ properties: AMQPProperties) -> amqp_basic_properties_t {
        var c = amqp_basic_properties_t()
        var flags: UInt32 = 0
        func set(_ value: String?, _ flag: Int32, _ keyPath: WritableKeyPath<amqp_basic_properties_t, amqp_bytes_t>) {
            guard let value else { return }
            c[keyPath: keyPath] = bytes(value)
            flags |= UInt32(flag)
        }
        set(properties.contentType, AMQP_BASIC_CONTENT_TYPE_FLAG, \.content_type)
        set(properties.contentEncoding, AMQP_BASIC_CONTENT_ENCODING_FLAG, \.content_encoding)
        set(properties.correlationID, AMQP_BASIC_CORRELATION_ID_FLAG, \.correlation_id)
        set(properties.replyTo, AMQP_BASIC_REPLY_TO_FLAG, \.reply_to)
        set(properties.expiration, AMQP_BASIC_EXPIRATION_FLAG, \.expiration)
        set(properties.messageID, AMQP_BASIC_MESSAGE_ID_FLAG, \.message_id)
        set(properties.type, AMQP_BASIC_TYPE_FLAG, \.type)
        set(properties.userID, AMQP_BASIC_USER_ID_FLAG, \.user_id)
        set(properties.appID, AMQP_BASIC_APP_ID_FLAG, \.app_id)
        set(properties.clusterID, AMQP_BASIC_CLUSTER_ID_FLAG, \.cluster_id)
        if !properties.headers.isEmpty {
            c.headers = table(properties.headers)
            flags |= UInt32(AMQP_BASIC_HEADERS_FLAG)
        }
        if let mode = properties.deliveryMode {
            c.delivery_mode = mode.rawValue
            flags |= UInt32(AMQP_BASIC_DELIVERY_MODE_FLAG)
        }
        if let priority = properties.priority {
            c.priority = priority
            flags |= UInt32(AMQP_BASIC_PRIORITY_FLAG)
        }
        if let timestamp = properties.timestamp {
            c.timestamp = amqpSeconds(timestamp)
            flags |= UInt32(AMQP_BASIC_TIMESTAMP_FLAG)
        }
        c._flags = flags
        return c
    }

    private func kind(_ kind: amqp_field_value_kind_t) -> UInt8 { UInt8(truncatingIfNeeded: kind.rawValue) }
}

/// Whole seconds since 1970 for an AMQP timestamp, clamped to what the field holds (a Date from a hostile
/// message can be out of any range, and converting it unchecked would trap).
func amqpSeconds(_ date: Date) -> UInt64 {
    let seconds = date.timeIntervalSince1970.rounded(.down)
    guard seconds.isFinite, seconds > 0 else { return 0 }
    return UInt64(exactly: seconds) ?? UInt64.max
}

/// The latest AMQP timestamp taken as a time: the end of year 9999. Later ones (a garbage `timestamp`) read as
/// absent, so that no code downstream has to guard against dates no calendar can print.
let latestMeaningfulTimestamp: UInt64 = 253_402_300_799

// MARK: - From C

extension String {
    /// Decodes AMQP bytes as UTF-8 (invalid sequences become U+FFFD).
    init(amqpBytes bytes: amqp_bytes_t) {
        guard bytes.len > 0, let base = bytes.bytes else {
            self = ""
            return
        }
        self = String(decoding: UnsafeRawBufferPointer(start: base, count: bytes.len), as: UTF8.self)
    }
}

extension AMQPProperties {
    /// Copies properties decoded by rabbitmq-c into Swift values.
    init(_ c: amqp_basic_properties_t) {
        let flags = c._flags
        func get(_ flag: Int32, _ bytes: amqp_bytes_t) -> String? {
            flags & UInt32(flag) != 0 ? String(amqpBytes: bytes) : nil
        }
        self.init(
            contentType: get(AMQP_BASIC_CONTENT_TYPE_FLAG, c.content_type),
            contentEncoding: get(AMQP_BASIC_CONTENT_ENCODING_FLAG, c.content_encoding),
            headers: flags & UInt32(AMQP_BASIC_HEADERS_FLAG) != 0 ? AMQPTable(c.headers) : [:],
            deliveryMode: flags & UInt32(AMQP_BASIC_DELIVERY_MODE_FLAG) != 0
                ? DeliveryMode(rawValue: c.delivery_mode) : nil,
            priority: flags & UInt32(AMQP_BASIC_PRIORITY_FLAG) != 0 ? c.priority : nil,
            correlationID: get(AMQP_BASIC_CORRELATION_ID_FLAG, c.correlation_id),
            replyTo: get(AMQP_BASIC_REPLY_TO_FLAG, c.reply_to),
            expiration: get(AMQP_BASIC_EXPIRATION_FLAG, c.expiration),
            messageID: get(AMQP_BASIC_MESSAGE_ID_FLAG, c.message_id),
            timestamp: flags & UInt32(AMQP_BASIC_TIMESTAMP_FLAG) != 0 && c.timestamp <= latestMeaningfulTimestamp
                ? Date(timeIntervalSince1970: TimeInterval(c.timestamp)) : nil,
            type: get(AMQP_BASIC_TYPE_FLAG, c.type),
            userID: get(AMQP_BASIC_USER_ID_FLAG, c.user_id),
            appID: get(AMQP_BASIC_APP_ID_FLAG, c.app_id),
            clusterID: get(AMQP_BASIC_CLUSTER_ID_FLAG, c.cluster_id)
        )
    }
}

extension Dictionary where Key == String, Value == AMQPFieldValue {
    /// Copies a field table decoded by rabbitmq-c into Swift values.
    init(_ table: amqp_table_t) {
        self.init()
        guard table.num_entries > 0, let entries = table.entries else { return }
        for index in 0..<Int(table.num_entries) {
            let entry = entries[index]
            self[String(amqpBytes: entry.key)] = AMQPFieldValue(entry.value)
        }
    }
}

extension AMQPFieldValue {
    /// Copies one decoded field value; every kind of AMQP 0-9-1 (and RabbitMQ's extensions) is understood.
    init(_ field: amqp_field_value_t) {
        func `is`(_ kind: amqp_field_value_kind_t) -> Bool { field.kind == UInt8(truncatingIfNeeded: kind.rawValue) }
        if `is`(AMQP_FIELD_KIND_BOOLEAN) {
            self = .bool(field.value.boolean != 0)
        } else if `is`(AMQP_FIELD_KIND_I8) {
            self = .int(Int64(field.value.i8))
        } else if `is`(AMQP_FIELD_KIND_U8) {
            self = .int(Int64(field.value.u8))
        } else if `is`(AMQP_FIELD_KIND_I16) {
            self = .int(Int64(field.value.i16))
        } else if `is`(AMQP_FIELD_KIND_U16) {
            self = .int(Int64(field.value.u16))
        } else if `is`(AMQP_FIELD_KIND_I32) {
            self = .int(Int64(field.value.i32))
        } else if `is`(AMQP_FIELD_KIND_U32) {
            self = .int(Int64(field.value.u32))
        } else if `is`(AMQP_FIELD_KIND_I64) {
            self = .int(field.value.i64)
        } else if `is`(AMQP_FIELD_KIND_U64) {
            self = .int(Int64(truncatingIfNeeded: field.value.u64))
        } else if `is`(AMQP_FIELD_KIND_F32) {
            self = .double(Double(field.value.f32))
        } else if `is`(AMQP_FIELD_KIND_F64) {
            self = .double(field.value.f64)
        } else if `is`(AMQP_FIELD_KIND_DECIMAL) {
            let decimal = field.value.decimal
            self = .double(Double(decimal.value) / pow(10, Double(decimal.decimals)))
        } else if `is`(AMQP_FIELD_KIND_UTF8) {
            self = .string(String(amqpBytes: field.value.bytes))
        } else if `is`(AMQP_FIELD_KIND_BYTES) {
            let raw = field.value.bytes
            self = .bytes(raw.len > 0 ? Array(UnsafeRawBufferPointer(start: raw.bytes, count: raw.len)) : [])
        } else if `is`(AMQP_FIELD_KIND_TIMESTAMP) {
            self = .timestamp(Date(timeIntervalSince1970: TimeInterval(field.value.u64)))
        } else if `is`(AMQP_FIELD_KIND_TABLE) {
            self = .table(AMQPTable(field.value.table))
        } else if `is`(AMQP_FIELD_KIND_ARRAY) {
            let array = field.value.array
            var values: [AMQPFieldValue] = []
            if array.num_entries > 0, let entries = array.entries {
                for index in 0..<Int(array.num_entries) { values.append(AMQPFieldValue(entries[index])) }
            }
            self = .array(values)
        } else {
            self = .void
        }
    }
}
