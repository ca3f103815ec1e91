#!/usr/bin/env bash
# Builds the Debian package nn_VERSION_ARCH.deb: the self-contained release binary (the Swift
# runtime linked in), its man page and completions (through `make install`), and the example
# programs. The version is the one `nn --version` prints; Depends: is what dpkg-shlibdeps finds
# the binary needs. Needs dpkg-dev (dpkg-shlibdeps).
#
#   scripts/package-deb.sh [OUTPUT_FOLDER]     default .build/deb
#   NN=path/to/nn scripts/package-deb.sh       package that binary instead of building one
set -euo pipefail
cd "$(dirname "$0")/.."

output=${1:-.build/deb}
if [ -z "${NN:-}" ]; then
  make -s build >&2
  NN=.build/release/nn
fi
version=$("$NN" --version | awk '{ print $NF }')
architecture=$(dpkg --print-architecture)
maintainer=${DEB_MAINTAINER:-$(git log -1 --format='%an <%ae>')}
name="nn_${version}_${architecture}"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root="$work/$name"

# What make install writes, under /usr; then as Debian wants it: stripped, the man page gzipped.
make -s install NN="$NN" DESTDIR="$root" PREFIX=/usr
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/nn"
gzip -9n "$root/usr/share/man/man1/nn.1"
sed -i '1{/^#!/d}' "$root/usr/share/bash-completion/completions/nn"  # sourced, not run
install -d "$root/DEBIAN"

documents="$root/usr/share/doc/nn"
install -d "$documents/examples"
install -m 644 scripts/*.nn "$documents/examples/"
install -m 644 README.md "$documents/"
cat > "$documents/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: nn

Files: *
Copyright: the nn authors
License: not-yet-chosen
 The authors have not chosen a licence yet; see the project's README.
COPYRIGHT
{
  echo "nn ($version) unstable; urgency=medium"
  echo
  echo "  * Release $version; see CHANGELOG.md in the source."
  echo
  echo " -- $maintainer  $(date -R -d "@${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}")"
} | gzip -9n > "$documents/changelog.gz"

# dpkg-shlibdeps reads a debian/control; it needs only the package's name from it.
mkdir -p "$work/shlibs/debian"
printf 'Source: nn\n\nPackage: nn\nArchitecture: any\n' > "$work/shlibs/debian/control"
depends=$(cd "$work/shlibs" && dpkg-shlibdeps -O "$root/usr/bin/nn" | sed -n 's/^shlibs:Depends=//p')

cat > "$root/DEBIAN/control" <<CONTROL
Package: nn
Version: $version
Architecture: $architecture
Maintainer: $maintainer
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $depends
Section: science
Priority: optional
Description: small language and REPL for building and training neural networks
 nn builds, trains and inspects small neural networks from a few lines of
 text: layers, losses, optimizers, the chain rule written out, plots in the
 terminal. It reads programs from files, -e or standard input, or runs an
 interactive prompt.
CONTROL
(cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum > DEBIAN/md5sums)

mkdir -p "$output"
dpkg-deb --root-owner-group -Zxz --build "$root" "$output/$name.deb" >/dev/null
echo "$output/$name.deb"
