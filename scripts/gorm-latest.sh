#!/usr/bin/env bash
# Runs the test suite against the newest GORM release the module proxy
# serves, in a temporary copy of the module: the repository's go.mod and
# go.sum are never touched. gormpickle reads GORM internals (see
# docs/gorm-upgrades.md); this is how an upgrade that breaks them is seen
# before users see it.
#
# In the copy it runs `go get gorm.io/gorm@$GORM_VERSION` and `go mod tidy`;
# if the module then no longer builds, it upgrades the GORM drivers and
# gorm.io/datatypes to @latest too and says so. Then it runs the README's
# test command (without -race, to save time) and prints the GORM version
# it ran against.
#
# Environment:
#   GORM_VERSION        the version query (default latest; e.g. master, v1.31.3)
#   GORM_LATEST_FORCE=1 run even when that version is the one go.mod pins
#                       (the main test run already covers it)
#   GOTOOLCHAIN         default local: a GORM needing a newer Go fails
#                       here rather than downloading a toolchain
#
# Exit status: 0 tests pass (or nothing newer to test), 1 the build or the
# tests fail against that GORM, 3 the module proxy could not be reached
# (nothing was tested; CI reports it without failing).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
GORM_VERSION="${GORM_VERSION:-latest}"
export GOTOOLCHAIN="${GOTOOLCHAIN:-local}"
DRIVERS="gorm.io/driver/postgres gorm.io/driver/mysql github.com/glebarez/sqlite gorm.io/datatypes"

say() { printf 'gorm-latest: %s\n' "$*"; }

# proxy_failure reports whether go's output ($1) says a download failed
# for want of the network or the proxy, not because of the code.
proxy_failure() {
	grep -qiE 'dial tcp|i/o timeout|connection (refused|reset)|no such host|TLS handshake|network is unreachable|temporary failure in name resolution|(502|503|504) (Bad Gateway|Service Unavailable|Gateway Timeout)|unexpected EOF|context deadline exceeded' <<<"$1"
}

# go_or_proxy runs a go command; on failure it exits 3 for a proxy
# outage, 1 otherwise, after printing what go said.
go_or_proxy() {
	local out
	if out=$("$@" 2>&1); then
		[ -n "$out" ] && printf '%s\n' "$out"
		return 0
	fi
	printf '%s\n' "$out" >&2
	if proxy_failure "$out"; then
		say "the module proxy could not be reached ($*): GORM upgrade not tested" >&2
		exit 3
	fi
	return 1
}

pinned=$(go list -m -f '{{.Version}}' gorm.io/gorm)
rc=0
target=$(go_or_proxy go list -m -f '{{.Version}}' "gorm.io/gorm@$GORM_VERSION") || rc=$?
if [ "$rc" -ne 0 ]; then
	[ "$rc" -eq 3 ] && exit 3 # go_or_proxy said why
	say "cannot resolve gorm.io/gorm@$GORM_VERSION" >&2
	exit 1
fi
if [ "$target" = "$pinned" ] && [ "${GORM_LATEST_FORCE:-}" != 1 ]; then
	say "gorm.io/gorm@$GORM_VERSION is $target, the version go.mod pins: the main test run covers it (GORM_LATEST_FORCE=1 runs it again)"
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The module as the working tree holds it: tracked and new files, not
# ignored ones (builds, profiles) or .git.
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$root" && git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
		[ -e "$f" ] && printf '%s\0' "$f"
	done | tar --null -T - -cf -) | tar -xf - -C "$tmp"
else
	tar --exclude=.git -cf - . | tar -xf - -C "$tmp"
fi
cd "$tmp"

say "go.mod pins gorm.io/gorm $pinned; testing against $target"
go_or_proxy go get "gorm.io/gorm@$target" || exit 1
go_or_proxy go mod tidy || exit 1
if ! go_or_proxy go build ./... || ! go_or_proxy go test -count=1 -run '^$' ./... >/dev/null; then
	say "the module does not build against gorm.io/gorm $target with the pinned drivers; upgrading them to @latest"
	# shellcheck disable=SC2086 # a list of modules
	go_or_proxy go get $(printf '%s@latest ' $DRIVERS) "gorm.io/gorm@$target" || exit 1
	go_or_proxy go mod tidy || exit 1
	if ! go build ./...; then
		say "FAIL: the module does not build against gorm.io/gorm $target, even with the drivers at @latest" >&2
		exit 1
	fi
fi
ran=$(go list -m -f '{{.Version}}' gorm.io/gorm)
say "running against gorm.io/gorm $ran ($(go list -m $DRIVERS | paste -sd ' ' -))"

# The README's test command, as .ci/run reads it.
test_cmd=$(awk '/<!-- test-command -->/{found=1; next} found && /^```/{if (infence) exit; infence=1; next} found && infence {print; exit}' README.md)
if [ -z "$test_cmd" ]; then
	say "README.md has no test command after <!-- test-command -->" >&2
	exit 1
fi
say "tests: GOFLAGS='-count=1' $test_cmd"
if ! GOFLAGS="${GOFLAGS:+$GOFLAGS }-count=1" bash -c "$test_cmd"; then
	say "FAIL: tests fail against gorm.io/gorm $ran (go.mod pins $pinned); see docs/gorm-upgrades.md" >&2
	exit 1
fi
say "PASS: tests pass against gorm.io/gorm $ran (go.mod pins $pinned)"
