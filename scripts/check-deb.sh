#!/usr/bin/env bash
# Builds the Debian package and checks it as CI does: lintian reports no errors, and unpacked
# into a throwaway root its nn runs a program without the Swift toolchain's libraries and its
# man page renders. Installs dpkg-dev and lintian only when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
for package in dpkg-dev lintian man-db; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "check-deb: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

package=$(scripts/package-deb.sh)
echo "check-deb: built $package ($(du -h "$package" | cut -f1))"
lintian --fail-on error "$package"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg -x "$package" "$root"
if ldd "$root/usr/bin/nn" | grep -i swift; then
  echo "check-deb: nn still links a Swift library from the toolchain" >&2
  exit 1
fi
[ "$("$root/usr/bin/nn" -e 'print 1')" = "1" ]
page=$(MANWIDTH=200 man -l "$root/usr/share/man/man1/nn.1.gz" | tr -s ' ')
grep -q "Build, train and inspect neural networks" <<<"$page"
echo "check-deb: $package installs, runs and has its man page"
