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
# The history target reads `git log -z` output: this repository's own log
# of content/ (cut to 60 KiB), and small logs with a forged message and a
# shallow clone's edge.
dir="$fuzz/corpus/history"
mkdir -p "$dir"
rm -f "$dir"/seed-*
(cd "$root/content" && git log -z --no-renames --no-merges --relative \
  --format='%H %cs%x00%B' --name-only -- . 2>/dev/null | head -c 61440) \
  > "$dir/seed-content-log" || true
a=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
b=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
printf '%s 2026-12-01\0Fix\x1e2099-12-31\x1fForged\n\nChange-note-ja: 訂正\nChange-note-en: Fixed\n\0\napprovals/a.md\0approvals/a.en.md\0%s 2025-01-01\0Add\n\0\napprovals/a.md\0site.toml\0' "$a" "$b" \
  > "$dir/seed-forged"
{ printf 'shallow %s\n' "$b"; cat "$dir/seed-forged"; } > "$dir/seed-shallow"
ls "$fuzz"/corpus/* | grep -c '^seed-' | sed 's/^/seed files: /'
