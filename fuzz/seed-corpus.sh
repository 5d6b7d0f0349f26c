#!/usr/bin/env bash
# (Re)creates fuzz/corpus/<target>/seed-*.md from every Markdown file of the
# site content and of the test fixtures. Run from anywhere.
set -euo pipefail
fuzz="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$fuzz")"
for target in front_matter markdown record; do
  dir="$fuzz/corpus/$target"
  mkdir -p "$dir"
  rm -f "$dir"/seed-*
  (cd "$root" && find content tests/fixtures -name '*.md' -type f | sort) |
    while read -r file; do
      cp "$root/$file" "$dir/seed-$(echo "${file%.md}" | tr '/' '-').md"
    done
done
# The record target adds its input to site-minimal as approvals/fuzz.md: a
# copy of a fixture approval under a fresh id is a seed that can pass
# `check` and so reach rendering (the fixture's own ids are duplicates).
for target in front_matter record; do
  sed 's/^id = "ezharmia"$/id = "fuzz"/' "$root/tests/fixtures/site-minimal/approvals/ezharmia.md" \
    > "$fuzz/corpus/$target/seed-fuzz-valid-approval.md"
done
ls "$fuzz"/corpus/* | grep -c '^seed-' | sed 's/^/seed files: /'
