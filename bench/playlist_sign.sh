#!/bin/sh
# The cost of a signed live media playlist (a token on every URI) against a public one: builds
# MediaCore and Manifests with bench/playlist_sign/main.swift, optimised, and prints p50 per render
# of each and their ratio. Usage: bench/playlist_sign.sh [rounds] [renders per round]
set -eu
cd "$(dirname "$0")/.."
out=${TMPDIR:-/tmp}/antenne-playlist-sign
mkdir -p "$out"
module() {  # module NAME FILES...: an optimised object and its .swiftmodule in $out
    name=$1; shift
    swiftc -O -wmo -parse-as-library -module-name "$name" -I "$out" \
        -emit-module -emit-module-path "$out/$name.swiftmodule" -c -o "$out/$name.o" "$@"
}
# Manifests needs only MediaCore's time and track types, none of its ByteBuffer-based files.
module MediaCore $(grep -L '^import NIOCore' Sources/MediaCore/*.swift)
module Manifests Sources/Manifests/*.swift
swiftc -O -I "$out" -o "$out/playlist_sign" bench/playlist_sign/main.swift "$out/MediaCore.o" "$out/Manifests.o"
"$out/playlist_sign" "$@"
