#!/usr/bin/env bash
# The kernel source the patch-sketch tests use (test/c/checkpatch.test.ts, test/c/kernel-tree.test.ts): the kernel's
# own scripts/checkpatch.pl with its data files (spelling.txt, const_structs.checkpatch), and the part of a real
# tree that `ptelab build --kernel-tree` places hunks in (arch/x86 and arm64 headers, include/linux, mm, fs).
# Both come from Debian's linux-source-X.Y package (the newest one apt offers; on Debian 12 that is 6.1, on Debian 13 6.12), unpacked
# into a cache folder outside the repository:
#   ${PTELAB_KERNEL_SOURCE:-${XDG_CACHE_HOME:-$HOME/.cache}/ptelab/kernel-source}/linux-source-X.Y/
# Idempotent: does nothing when that folder is already there. Installs with apt-get only when it can (Debian or
# Ubuntu, running as root); otherwise it says what to do and exits 0, and the tests are skipped with the same advice.
# Run it as `npm run setup:kernel-source`.
set -u

say() { printf 'setup:kernel-source: %s\n' "$*"; }
warn() { printf 'setup:kernel-source: warning: %s\n' "$*" >&2; }

cache="${PTELAB_KERNEL_SOURCE:-${XDG_CACHE_HOME:-$HOME/.cache}/ptelab/kernel-source}"

# What the tests look for (test/c/kernel-source.ts): a linux-source-* folder with scripts/checkpatch.pl in it.
find_tree() {
  local d
  for d in "$cache"/linux-source-*; do
    [ -f "$d/scripts/checkpatch.pl" ] && [ -f "$d/.ptelab-complete" ] && { printf '%s\n' "$d"; return 0; }
  done
  return 1
}

if found=$(find_tree); then
  say "already unpacked: $found"
  exit 0
fi

# The newest /usr/src/linux-source-X.Y.tar.xz there is.
find_tarball() {
  ls -1 /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1
}

tarball=$(find_tarball)
if [ -z "$tarball" ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    warn "no /usr/src/linux-source-*.tar.xz and no apt-get: install your distribution's kernel source package, or unpack a kernel tree into $cache/linux-source-VERSION"
    exit 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    warn "not root: run: sudo apt-get update && sudo apt-get install -y linux-source, then npm run setup:kernel-source"
    exit 0
  fi
  export DEBIAN_FRONTEND=noninteractive
  say "apt-get update"
  if ! apt-get update -q >/dev/null; then
    warn "apt-get update failed; the checkpatch and kernel-tree tests will be skipped"
    exit 0
  fi
  pkg=$(apt-cache search --names-only '^linux-source-[0-9]+\.[0-9]+$' | awk '{print $1}' | sort -V | tail -n 1)
  if [ -z "$pkg" ]; then
    warn "apt offers no linux-source-X.Y package; the checkpatch and kernel-tree tests will be skipped"
    exit 0
  fi
  say "installing Debian's $pkg (about 140 MB)"
  if ! apt-get install -y -q --no-install-recommends "$pkg" >/dev/null; then
    warn "apt-get install $pkg failed; the checkpatch and kernel-tree tests will be skipped"
    exit 0
  fi
  tarball=$(find_tarball)
  if [ -z "$tarball" ]; then
    warn "$pkg is installed but /usr/src has no linux-source-*.tar.xz"
    exit 0
  fi
fi

top=$(basename "$tarball" .tar.xz)
say "unpacking checkpatch.pl and the mm headers and sources of $top into $cache"
mkdir -p "$cache" || { warn "cannot create $cache"; exit 0; }
rm -rf "${cache:?}/$top"
if ! tar -xJf "$tarball" -C "$cache" --wildcards \
  "$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" "$top/scripts/const_structs.checkpatch" \
  "$top/Makefile" "$top/arch/x86/include/asm/*" "$top/arch/arm64/include/asm/*" "$top/include/linux/*" \
  "$top/mm/*" "$top/fs/proc/*" "$top/fs/userfaultfd.c"; then
  warn "unpacking $tarball failed; the checkpatch and kernel-tree tests will be skipped"
  exit 0
fi
touch "$cache/$top/.ptelab-complete"
say "ready: $cache/$top ($(sed -n 's/^VERSION = //p;s/^PATCHLEVEL = //p;s/^SUBLEVEL = //p' "$cache/$top/Makefile" | paste -sd. -))"
exit 0
