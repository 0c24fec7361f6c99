#!/usr/bin/env bash
# Runs the query-serializer benchmarks and prints the ratios the
# performance targets are stated in (docs/performance.md). COUNT sets the
# passes over all benchmarks (default 20); BENCHTIME is passed to -benchtime
# (default 300ms). Many short passes beat a few long ones on a shared
# machine: each ratio is taken within a pass.
# With benchstat on PATH (go install golang.org/x/perf/cmd/benchstat@latest)
# the raw table is printed too. RAW=file keeps the raw `go test -bench`
# output (for benchstat comparisons between runs).
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT="${COUNT:-20}"
BENCHTIME="${BENCHTIME:-300ms}"
out=$(mktemp)
bin=$(mktemp)
trap 'rm -f "$out" "$bin"' EXIT
go test -c -o "$bin" ./tests
# COUNT passes over every benchmark rather than -count: each pass measures
# a shape's Build and Loads seconds apart, so the ratios benchratio takes
# within a pass are not skewed by the machine slowing down or speeding up
# over the minutes a whole run takes.
for _ in $(seq "$COUNT"); do
	(cd tests && "$bin" -test.run '^$' -test.bench '^Benchmark(Shapes|Scaling|ShapesG)$' -test.benchmem \
		-test.benchtime "$BENCHTIME" -test.timeout 60m) >>"$out"
done
if command -v benchstat >/dev/null 2>&1; then
	benchstat "$out"
	echo
fi
if [ -n "${RAW:-}" ]; then
	cp "$out" "$RAW"
fi
go run ./internal/benchratio <"$out"
