#!/bin/sh
# Compiles the explorer (site/) and stores it as the bundle the `portal`
# binary carries (generator/bundle/carried/). Run it after changing the
# explorer, and commit what it changed: `./scripts/test.sh` checks that the
# carried bundle is what the sources give.
set -eu
cd "$(dirname "$0")/.."
# Formatted first: the hash of the sources is taken as they will be committed.
cargo fmt --all
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
PORTAL_UPDATE_EXPLORER=1 cargo run --release --quiet -p portal -- build --quiet \
    --content tests/fixtures/site-minimal --out "$out/site" --base-url https://example.org/
echo "stored the explorer in generator/bundle/carried ($(du -sh generator/bundle/carried | cut -f1))"
