#!/usr/bin/env bash
# Counts the machine instructions one operation of each query-shape
# benchmark executes, under valgrind's cachegrind with GOMAXPROCS=1 (so the
# garbage collector's work is counted too, on the same thread), and prints
# the ratios of docs/performance.md. Unlike ns/op these counts repeat to
# within about 0.5% between runs, which makes them the way to judge a
# change of a few percent on a noisy machine; they are a proxy for time
# (cache misses and parallel GC are not in them). Needs valgrind
# (apt-get install valgrind). N sets the operations counted (default 20000:
# enough for the collector to run as often as it does in a long benchmark);
# SHAPES is a regular expression of shapes (default all). The last columns
# count Build and Loads again with the collector off (GOGC=off): the work
# the calling goroutine does itself, which is what wall-clock time on
# several cores mostly sees, the collector then running beside it.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "bench-instructions: valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }
N="${N:-20000}"
SHAPES="${SHAPES:-.}"
bin=$(mktemp)
trap 'rm -f "$bin"' EXIT
go test -c -o "$bin" ./tests

# instructions BENCH OPS: instructions of the whole run with -benchtime OPSx
# (with the collector off when GOGC=off is in the environment).
instructions() {
	# cpu.rdtscp=off: valgrind 3.19 cannot execute RDTSCP, which the Go
	# runtime uses for its tick counter on CPUs that have it.
	(cd tests && GODEBUG=cpu.rdtscp=off GOMAXPROCS=1 valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
		"$bin" -test.run '^$' -test.bench "^BenchmarkShapes/$1\$" -test.benchtime "$2x" 2>&1) |
		awk '/I[ \t]+refs:/ { gsub(",", "", $4); print $4 }'
}

# per_op BENCH: instructions of N operations less those of one (setup), per op.
per_op() {
	local one many
	one=$(instructions "$1" 1)
	many=$(instructions "$1" "$N")
	echo $(((many - one) / (N - 1)))
}

shapes=$(sed -n 's/^\t{"\([a-z_]*\)", func.*/\1/p' tests/bench_test.go | grep -E "$SHAPES")
printf '%-28s %8s %8s %6s %9s %9s %6s %8s %6s %8s %8s %6s\n' shape Build Loads L/B BuildSQL LoadsSQL LS/BS Dumps D/BS Build0 Loads0 L0/B0
for s in $shapes; do
	b=$(per_op "$s/Build")
	l=$(per_op "$s/Loads")
	bs=$(per_op "$s/BuildSQL")
	ls=$(per_op "$s/LoadsSQL")
	d=$(per_op "$s/Dumps")
	b0=$(GOGC=off per_op "$s/Build")
	l0=$(GOGC=off per_op "$s/Loads")
	awk -v s="$s" -v b="$b" -v l="$l" -v bs="$bs" -v ls="$ls" -v d="$d" -v b0="$b0" -v l0="$l0" 'BEGIN {
		printf "%-28s %8d %8d %6.2f %9d %9d %6.2f %8d %6.2f %8d %8d %6.2f\n", s, b, l, l / b, bs, ls, ls / bs, d, d / bs, b0, l0, l0 / b0
	}'
done
