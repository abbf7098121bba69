#!/usr/bin/env bash
# The .deb, as a farm admin would get it: cpack builds it from this build
# directory, lintian reports no error on it, apt-get installs it (its
# dependencies named by dpkg-shlibdeps are already here), the installed
# /usr/bin/bbcheck runs, its man page and completions are where man and the
# shells look, and the package is removed again. CI runs on a throwaway
# machine; elsewhere the package is removed at exit even on failure.
#
# usage: package.sh BUILD_DIR   (as root)
set -euo pipefail
build=$1
work=$(mktemp -d /tmp/bbcheck-package-XXXXXX)
installed=0
cleanup() {
  if [ "$installed" -eq 1 ]; then
    apt-get -o DPkg::Lock::Timeout=300 remove -y bbcheck >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

if dpkg-query -W -f='${Status}' bbcheck 2>/dev/null | grep -q "install ok installed"; then
  fail "a bbcheck package is already installed here; this test would remove it"
fi

cpack --config "$build/CPackConfig.cmake" -B "$work" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack failed"; }
deb=$(ls "$work"/bbcheck_*.deb)
echo "built $deb"

depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for lib in libpoco libc6 libstdc++6; do
  grep -q "$lib" <<<"$depends" || fail "Depends does not name $lib (dpkg-shlibdeps)"
done
dpkg-deb -c "$deb" | awk '{print $6}' > "$work/contents"
for path in ./usr/bin/bbcheck ./usr/libexec/bbcheck/bbcheck-session ./usr/share/man/man1/bbcheck.1.gz \
  ./usr/share/bash-completion/completions/bbcheck ./usr/share/zsh/vendor-completions/_bbcheck \
  ./usr/share/bbcheck/schema/report-v1.schema.json ./usr/share/bbcheck/profiles/python-buildbot.yaml \
  ./usr/share/doc/bbcheck/copyright ./usr/share/doc/bbcheck/changelog.gz \
  ./usr/lib/systemd/system/bbcheck-textfile.service ./usr/lib/systemd/system/bbcheck-textfile.timer; do
  grep -qx "$path" "$work/contents" || fail "$path is not in the package"
done

lintian --fail-on error --tag-display-limit 0 "$deb" | tee "$work/lintian.txt" ||
  fail "lintian reports errors"

installed=1
apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "$deb" >"$work/apt.log" 2>&1 ||
  { cat "$work/apt.log"; fail "apt-get install failed"; }
version=$(/usr/bin/bbcheck --version)
echo "$version"
[[ "$version" == "bbcheck "* ]] || fail "/usr/bin/bbcheck --version printed: $version"
# (-a: a bbcheck installed by README command 1 under /usr/local may come first)
pages=$(man -aw bbcheck) || fail "man -w bbcheck finds no page"
grep -qx /usr/share/man/man1/bbcheck.1.gz <<<"$pages" || fail "man -w bbcheck: $pages"
man -P cat bbcheck 2>/dev/null | grep -q "EXIT STATUS" || fail "the man page has no EXIT STATUS section"
# What names the install prefix names /usr, where the package installs.
man -P cat /usr/share/man/man1/bbcheck.1.gz 2>/dev/null | grep -q "/usr/share/bbcheck/schema/report-v1.schema.json" ||
  fail "the man page's FILES are not under /usr"
grep -q "^ExecStart=/usr/bin/bbcheck run " /usr/lib/systemd/system/bbcheck-textfile.service ||
  fail "the systemd unit does not run /usr/bin/bbcheck: $(grep ExecStart= /usr/lib/systemd/system/bbcheck-textfile.service)"
/usr/bin/bbcheck validate /usr/share/bbcheck/profiles/*.yaml || fail "installed profiles do not validate"
# The session helper runs where bbcheck looks for it (../libexec/bbcheck/).
/usr/libexec/bbcheck/bbcheck-session --describe | tr '\0' '\n' | grep -q '^uid=' ||
  fail "/usr/libexec/bbcheck/bbcheck-session does not run"
bash -c 'source /usr/share/bash-completion/completions/bbcheck
  COMP_WORDS=(bbcheck run --format ""); COMP_CWORD=3; _bbcheck
  [[ " ${COMPREPLY[*]} " == *" json "* ]]' || fail "bash completion does not offer formats"

apt-get -o DPkg::Lock::Timeout=300 remove -y bbcheck >/dev/null 2>&1 || fail "apt-get remove failed"
installed=0
[ ! -e /usr/bin/bbcheck ] || fail "/usr/bin/bbcheck is still there after removal"
echo "package: ok"
