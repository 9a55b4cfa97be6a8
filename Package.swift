// swift-tools-version: 6.2
import PackageDescription

/// Settings every target of ours shares: Swift 6 language mode and warnings treated as errors.
let strict: [SwiftSetting] = [
    .treatAllWarnings(as: .error),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "npq-suite",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "AMQP", targets: ["AMQP"]),
        .library(name: "MessageContracts", targets: ["MessageContracts"]),
        .library(name: "ServiceRuntime", targets: ["ServiceRuntime"]),
        // The services (`make run` starts every `npq-*` executable) and the command-line tool.
        .executable(name: "npq-applications", targets: ["npq-applications"]),
        .executable(name: "npq-cohorts", targets: ["npq-cohorts"]),
        .executable(name: "npq-eligibility", targets: ["npq-eligibility"]),
        .executable(name: "npq-notifications", targets: ["npq-notifications"]),
        .executable(name: "npq-senco", targets: ["npq-senco"]),
        .executable(name: "npq", targets: ["npq"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-kit.git", from: "4.5.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        // rabbitmq-c, the system library; only the AMQP module imports it.
        .systemLibrary(
            name: "CRabbitMQ",
            path: "Shared/CRabbitMQ",
            pkgConfig: "librabbitmq",
            providers: [.apt(["librabbitmq-dev"])]
        ),
        // syncfs(2), which Swift's Glibc module does not declare; the mail drop's group flush calls it.
        .target(name: "CFileSystem", path: "Shared/CFileSystem"),
        // malloc_trim(3), which Swift's Glibc module does not declare; a service calls it when it goes quiet.
        .target(name: "CMemory", path: "Shared/CMemory"),
        .target(
            name: "AMQP",
            dependencies: [
                "CRabbitMQ",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/AMQP",
            swiftSettings: strict
        ),
        .target(
            name: "MessageContracts",
            path: "Shared/MessageContracts",
            swiftSettings: strict
        ),
        .target(
            name: "ServiceRuntime",
            dependencies: [
                "AMQP",
                "CMemory",
                "MessageContracts",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteKit", package: "sqlite-kit"),
            ],
            path: "Shared/ServiceRuntime",
            swiftSettings: strict
        ),
        // A service's copy of the schools register, kept from npq-eligibility's events (applications, notifications).
        .target(
            name: "SchoolRegisterCopy",
            dependencies: [
                "EligibilityDomain", "MessageContracts", "ServiceRuntime",
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            path: "Shared/SchoolRegisterCopy",
            swiftSettings: strict
        ),
        // An SMTP client on SwiftNIO (STARTTLS, AUTH, MIME), for the notifications service.
        .target(
            name: "SMTP",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/SMTP",
            swiftSettings: strict
        ),
        // Notifications: email and signed webhooks to applicants and schools, exactly once.
        .target(
            name: "NotificationsDomain",
            dependencies: ["MessageContracts", .product(name: "Mustache", package: "swift-mustache")],
            path: "Services/Notifications/NotificationsDomain",
            swiftSettings: strict
        ),
        .target(
            name: "NotificationsService",
            dependencies: [
                "NotificationsDomain", "MessageContracts", "ServiceRuntime", "SMTP", "CohortsDomain",
                "EligibilityDomain", "SchoolRegisterCopy", "CFileSystem",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/Notifications/NotificationsService",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "npq-notifications",
            dependencies: ["NotificationsService", "ServiceRuntime"],
            path: "Services/Notifications/Main",
            swiftSettings: strict
        ),
        // Cohorts: courses, cohorts, registration windows, offerings, schedules and milestones.
        .target(
            name: "CohortsDomain",
            dependencies: ["MessageContracts"],
            path: "Services/Cohorts/CohortsDomain",
            swiftSettings: strict
        ),
        .target(
            name: "CohortsService",
            dependencies: [
                "CohortsDomain", "MessageContracts", "ServiceRuntime",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/Cohorts/CohortsService",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "npq-cohorts",
            dependencies: ["CohortsService", "ServiceRuntime"],
            path: "Services/Cohorts/Main",
            swiftSettings: strict
        ),
        // Applications: the approval and training state machines.
        .target(
            name: "ApplicationsDomain",
            dependencies: ["MessageContracts"],
            path: "Services/Applications/ApplicationsDomain",
            swiftSettings: strict
        ),
        .target(
            name: "ApplicationsService",
            dependencies: [
                "ApplicationsDomain", "CohortsDomain", "EligibilityDomain", "MessageContracts", "ServiceRuntime",
                "SchoolRegisterCopy", .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/Applications/ApplicationsService",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "npq-applications",
            dependencies: ["ApplicationsService", "ServiceRuntime"],
            path: "Services/Applications/Main",
            swiftSettings: strict
        ),
        // Eligibility: funding decisions by DfE's policy of each cohort.
        .target(
            name: "EligibilityDomain",
            dependencies: ["MessageContracts"],
            path: "Services/Eligibility/EligibilityDomain",
            swiftSettings: strict
        ),
        .target(
            name: "EligibilityService",
            dependencies: [
                "EligibilityDomain", "ApplicationsDomain", "CohortsDomain", "MessageContracts", "ServiceRuntime",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/Eligibility/EligibilityService",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "npq-eligibility",
            dependencies: ["EligibilityService", "ServiceRuntime"],
            path: "Services/Eligibility/Main",
            swiftSettings: strict
        ),
        // SENCO: the mandatory qualification's three-year window.
        .target(
            name: "SENCODomain",
            dependencies: ["MessageContracts"],
            path: "Services/SENCO/SENCODomain",
            swiftSettings: strict
        ),
        .target(
            name: "SENCOService",
            dependencies: [
                "SENCODomain", "CohortsDomain", "MessageContracts", "ServiceRuntime",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Services/SENCO/SENCOService",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "npq-senco",
            dependencies: ["SENCOService", "ServiceRuntime"],
            path: "Services/SENCO/Main",
            swiftSettings: strict
        ),
        // The operators' and integrators' command-line tool.
        .executableTarget(
            name: "npq",
            dependencies: [
                "AMQP", "MessageContracts", "ServiceRuntime", "CohortsDomain", "SENCODomain", "EligibilityDomain",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tools/npq",
            swiftSettings: strict
        ),
        // What the tests share: the test broker's address and controls, and the runtime probe, a minimal service
        // on ServiceRuntime for the runtime's process-level tests. Not part of the suite.
        .target(
            name: "NPQTestSupport",
            dependencies: [
                "AMQP", "ServiceRuntime", "MessageContracts",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport",
            swiftSettings: strict
        ),
        .executableTarget(
            name: "runtime-probe",
            dependencies: ["NPQTestSupport", "ServiceRuntime"],
            path: "Tests/RuntimeProbe",
            swiftSettings: strict
        ),
        // `make bench-amqp`: the broker's ceiling through the AMQP module, beside plain rabbitmq-c.
        .executableTarget(
            name: "amqp-throughput",
            dependencies: ["AMQP", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/AMQPThroughput",
            swiftSettings: strict
        ),
        // `make bench`: drives the five running services with applications end to end (throughput, latency, memory).
        .executableTarget(
            name: "suite-load",
            dependencies: [
                "AMQP", "MessageContracts", "ServiceRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Benchmarks/SuiteLoad",
            swiftSettings: strict
        ),
        .testTarget(
            name: "CohortsDomainTests",
            dependencies: ["CohortsDomain", "MessageContracts"],
            path: "Tests/CohortsDomainTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "ApplicationsDomainTests",
            dependencies: ["ApplicationsDomain", "MessageContracts"],
            path: "Tests/ApplicationsDomainTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "ApplicationsServiceTests",
            dependencies: [
                "ApplicationsService", "EligibilityService", "MessageContracts", "ServiceRuntime", "AMQP",
                "NPQTestSupport",
            ],
            path: "Tests/ApplicationsServiceTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "EligibilityDomainTests",
            dependencies: ["EligibilityDomain", "MessageContracts"],
            path: "Tests/EligibilityDomainTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "SENCODomainTests",
            dependencies: ["SENCODomain", "MessageContracts"],
            path: "Tests/SENCODomainTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "SENCOServiceTests",
            dependencies: [
                "SENCOService", "SENCODomain", "MessageContracts", "ServiceRuntime", "AMQP", "NPQTestSupport",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/SENCOServiceTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "NPQToolTests",
            dependencies: ["MessageContracts", "SENCODomain", "EligibilityDomain", "NPQTestSupport", "AMQP"],
            path: "Tests/NPQToolTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "CohortsServiceTests",
            dependencies: [
                "CohortsService", "CohortsDomain", "MessageContracts", "ServiceRuntime", "AMQP", "NPQTestSupport",
            ],
            path: "Tests/CohortsServiceTests",
            swiftSettings: strict
        ),
        // `make bench-senco`: the SENCO sweep over many spells.
        .executableTarget(
            name: "senco-sweep",
            dependencies: [
                "SENCOService", "SENCODomain", "CohortsDomain", "MessageContracts", "ServiceRuntime",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/SENCOSweep",
            swiftSettings: strict
        ),
        .testTarget(
            name: "SMTPTests",
            dependencies: ["SMTP", "NPQTestSupport", .product(name: "Logging", package: "swift-log")],
            path: "Tests/SMTPTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "NotificationsDomainTests",
            dependencies: ["NotificationsDomain", "MessageContracts"],
            path: "Tests/NotificationsDomainTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "NotificationsServiceTests",
            dependencies: [
                "NotificationsService", "NotificationsDomain", "MessageContracts", "ServiceRuntime", "AMQP", "SMTP",
                "NPQTestSupport",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/NotificationsServiceTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "AMQPTests",
            dependencies: ["AMQP", "NPQTestSupport"],
            path: "Tests/AMQPTests",
            swiftSettings: strict
        ),
        .testTarget(
            name: "MessageContractsTests",
            dependencies: ["MessageContracts"],
            path: "Tests/MessageContractsTests",
            exclude: ["Fixtures"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ServiceRuntimeTests",
            dependencies: [
                "ServiceRuntime", "AMQP", "CMemory", "MessageContracts", "NPQTestSupport",
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/ServiceRuntimeTests",
            swiftSettings: strict
        ),
        // Property-based fuzzing of every message type's decoder and of the reference-data CSV readers.
        .testTarget(
            name: "FuzzTests",
            dependencies: [
                "MessageContracts", "EligibilityDomain",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            path: "Tests/FuzzTests",
            swiftSettings: strict
        ),
        // The fault suite (`make test-faults`): the five service executables, the test broker, a real SMTP server and
        // webhook receiver, driven with a workload under kills, outages and hostile input; writes docs/reliability.md.
        .testTarget(
            name: "FaultSuiteTests",
            dependencies: ["AMQP", "MessageContracts", "ServiceRuntime", "NPQTestSupport"],
            path: "Tests/FaultSuiteTests",
            swiftSettings: strict
        ),
    ]
)
