#!/usr/bin/env bash
# Runs the query-serializer benchmarks and prints the ratios the
# performance targets are stated in (docs/performance.md). COUNT sets the
# repetitions (default 6); BENCHTIME is passed to -benchtime (default 1s).
# With benchstat on PATH (go install golang.org/x/perf/cmd/benchstat@latest)
# the raw table is printed too. RAW=file keeps the raw `go test -bench`
# output (for benchstat comparisons between runs).
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${COUNT:-6}"
BENCHTIME="${BENCHTIME:-1s}"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
go test -run '^$' -bench '^Benchmark(Shapes|Scaling)$' -benchmem -count "$COUNT" -benchtime "$BENCHTIME" -timeout 60m ./tests | tee "$out" >/dev/null
if command -v benchstat >/dev/null 2>&1; then
	benchstat "$out"
	echo
fi
if [ -n "${RAW:-}" ]; then
	cp "$out" "$RAW"
fi
go run ./internal/benchratio <"$out"
