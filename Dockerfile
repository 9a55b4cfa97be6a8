# The five NPQ services in one image: built with the Swift toolchain, run on a slim Debian of the same release
# (so that librabbitmq matches). docker-compose.yml starts each service from it with its executable's name as the
# command. See deploy/README.md.
#
#   docker build -t npq-suite .
#   docker run --rm npq-suite npq-cohorts    (needs a broker: NPQ_AMQP_URL or NPQ_AMQP_URL_FILE)

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# ---- build ------------------------------------------------------------------------------------------------------
FROM ${SWIFT_IMAGE} AS build

RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends librabbitmq-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src

# Dependencies first, so that a source change does not fetch them again. Package.resolved is copied when present.
COPY Package.* ./
RUN swift package resolve

COPY Shared Shared
COPY Services Services
COPY Tools Tools
# Package.swift names these targets too; SwiftPM wants their sources present even when it builds none of them.
COPY Tests Tests
COPY Benchmarks Benchmarks

# The release build (scripts/release-build.sh, as `make bench` measures it): the Swift runtime and Foundation linked
# in statically, so that the runtime image needs no toolchain; the functions run at start placed first
# (scripts/link-order.txt).
COPY scripts/release-build.sh scripts/release-build.sh
COPY scripts/link-order.txt scripts/link-order.txt
RUN set -e; \
    mkdir -p /out; \
    bin="$(scripts/release-build.sh npq-applications npq-eligibility npq-cohorts npq-senco npq-notifications)"; \
    for product in npq-applications npq-eligibility npq-cohorts npq-senco npq-notifications; do \
        cp "$bin/$product" /out/; \
    done

# ---- run --------------------------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE}

# librabbitmq4: the AMQP client library. ca-certificates: TLS to the broker, the mail server and webhooks.
# tzdata: registration windows and deadlines are Europe/London dates. curl: the health check.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        librabbitmq4 ca-certificates tzdata curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin npq \
    && mkdir -p /data \
    && chown npq:npq /data

COPY --from=build /out/ /usr/local/bin/
# The reference data the services read at start (their defaults are these paths, relative to /app).
COPY reference /app/reference

WORKDIR /app
USER npq
ENV NPQ_DATA_DIR=/data \
    NPQ_HTTP_HOST=0.0.0.0 \
    NPQ_HTTP_PORT=8080 \
    NPQ_LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8080
STOPSIGNAL SIGTERM
