#!/usr/bin/env bash
# Git merge driver for gettext catalogues: two branches that each added translations to the same .po file give the
# union of both (ours wins where both changed one message), instead of a conflict in the middle of a block.
# Install once per clone:  git config merge.po.driver "scripts/po_merge.sh %O %A %B %P"
# (.gitattributes names the driver for *.po). The .mo is compiled again after the merge; msgfmt checks the formats.
set -euo pipefail
base="$1" ours="$2" theirs="$3" path="${4:-}"
msgcat --use-first --no-wrap -o "$ours.merged" "$ours" "$theirs"
mv "$ours.merged" "$ours"
msgfmt --check-format -o /dev/null "$ours"
