#!/usr/bin/env bash
# The release build of what operators run: the Dockerfile and `make bench` both build through this script.
#
#   scripts/release-build.sh [--scratch-path DIR] PRODUCT...
#
# builds each product (the build's output on stderr) and prints the folder of the executables on stdout.
#
# What it adds to `swift build -c release`, and why:
#   --static-swift-stdlib      the Swift runtime and Foundation linked in: the runtime image needs no toolchain.
#   -function-sections         every function in a section of its own (Swift and C), so that the linker can place
#                              each one where the order file says.
#   lld, -z pack-relative-relocs
#                              the toolchain's linker, with the position-independent executable's 100,000-odd
#                              relative relocations packed (SHT_RELR, glibc 2.36 or later): the dynamic loader
#                              reads about 40 KiB of relocations at start instead of 2.5 MiB.
#   --symbol-ordering-file scripts/link-order.txt
#                              the functions the services run while starting and idling, placed together at the
#                              front of the code, so that an idle service maps a few MiB of its code instead of
#                              most of it. scripts/link-order.sh regenerates the list; a function missing from it
#                              (new code) still links, placed after the listed ones. NPQ_LINK_ORDER=0 leaves the
#                              list out (scripts/link-order.sh builds that way to make it).
# Benchmarks/results/README.md (change 8) gives the figures.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

scratch=()
if [[ "${1:-}" == --scratch-path ]]; then
    scratch=(--scratch-path "$2")
    shift 2
fi
(($# > 0)) || {
    echo "usage: scripts/release-build.sh [--scratch-path DIR] PRODUCT..." >&2
    exit 2
}

flags=(
    -c release --static-swift-stdlib "${scratch[@]}"
    -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections
    -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs
)
order="$root/scripts/link-order.txt"
if [[ -s "$order" && "${NPQ_LINK_ORDER:-1}" != 0 ]]; then
    flags+=(-Xlinker "--symbol-ordering-file=$order" -Xlinker --no-warn-symbol-ordering)
fi

for product in "$@"; do
    swift build "${flags[@]}" --product "$product" >&2
done
swift build "${flags[@]}" --show-bin-path
