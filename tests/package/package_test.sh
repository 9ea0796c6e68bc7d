#!/bin/sh
# The Debian packages end to end (ctest: package_debian, label "package"):
#   1. build alliance-{common,kiosk,sync,central} with CPack
#   2. lintian on each: no errors
#   3. dpkg -i all of them at once
#   4. every installed binary answers --version; systemd-analyze verify on every
#      installed unit; user and group alliance; /var/lib/alliance is 2770
#      alliance:alliance; conffiles; the kiosk database is shared: enrolled by
#      root with only --server and --code, synced by user alliance, read by a
#      desktop user in group alliance and refused to anyone else
#   5. dpkg --remove keeps config and state; dpkg --purge leaves nothing behind
# A failure anywhere still purges what was installed (trap).
#
# usage: package_test.sh BUILD_DIR CPACK VERSION
# Exits 77 (skipped) when not root, without dpkg, or when Alliance Field Kit is
# already installed here (the test must never purge a real installation).
set -eu

build=$1
cpack=$2
version=$3
packages="alliance-common alliance-kiosk alliance-sync alliance-central"
checks=0

say() { echo "package-test: $*"; }
ok() { checks=$((checks + 1)); echo "package-test: ok   $*"; }
fail() { echo "package-test: FAIL $*" >&2; exit 1; }
skip() { echo "package-test: SKIPPED: $*"; exit 77; }

[ "$(id -u)" -eq 0 ] || skip "needs root: it installs and purges the packages with dpkg"
command -v dpkg >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1 ||
  skip "dpkg is missing (not a Debian system)"
for tool in lintian dpkg-shlibdeps systemd-analyze setpriv; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is missing; run installer/install-deps.sh"
done

is_known() {  # a package dpkg knows in any state (installed, config-files, ...)
  status=$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null || true)
  [ -n "$status" ] && [ "$status" != "not-installed" ]
}
for p in $packages; do
  if is_known "$p"; then skip "$p is already on this machine; the test would purge a real installation"; fi
done
if getent passwd alliance >/dev/null; then skip "user alliance exists; the test would delete it"; fi
if [ -e /var/lib/alliance ]; then skip "/var/lib/alliance exists; the test would delete it"; fi

work=$(mktemp -d /tmp/alliance-package-test.XXXXXX)
chmod 755 "$work"
server_pid=""
cleanup() {
  rc=$?
  trap - EXIT INT TERM
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  leftover=""
  for p in $packages; do
    if is_known "$p"; then leftover="$leftover $p"; fi
  done
  if [ -n "$leftover" ]; then
    say "cleaning up: dpkg --purge$leftover"
    dpkg --purge $leftover >/dev/null 2>&1 || say "cleaning up: dpkg --purge failed"
  fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 1. build -----------------------------------------------------------------
say "building the programs and their manual pages in $build"
cmake --build "$build" --target alliance-kiosk alliance-sync alliance-central \
  alliance-kiosk-manpage alliance-sync-manpage alliance-central-manpage >"$work/build.log" 2>&1 ||
  { tail -n 40 "$work/build.log" >&2; fail "the build failed"; }
rm -rf "$build/packages"
say "cpack -G DEB"
(cd "$build" && "$cpack" -G DEB) >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; fail "cpack failed"; }
debs=""
for p in $packages; do
  deb=$(ls "$build"/packages/"${p}"_"${version}"-*_*.deb 2>/dev/null | head -n 1)
  [ -n "$deb" ] || fail "cpack made no package $p (see $build/packages)"
  debs="$debs $deb"
  ok "built $(basename "$deb")"
done

# --- 2. lintian ---------------------------------------------------------------
for deb in $debs; do
  out=$(lintian --fail-on error --tag-display-limit 0 "$deb" 2>&1) && rc=0 || rc=$?
  [ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/    /'
  errors=$(printf '%s\n' "$out" | grep -c '^E: ' || true)
  warnings=$(printf '%s\n' "$out" | grep -c '^W: ' || true)
  [ "$rc" -eq 0 ] && [ "$errors" -eq 0 ] ||
    fail "lintian: $(basename "$deb") has $errors error(s) (exit $rc)"
  ok "lintian $(basename "$deb"): 0 errors, $warnings warning(s)"
done

# What the control files promise.
field() { dpkg-deb -f "$1" "$2"; }
kiosk_deb=$(printf '%s\n' $debs | grep /alliance-kiosk_)
field "$kiosk_deb" Depends | grep -q 'fonts-noto-core' || fail "alliance-kiosk does not depend on fonts-noto-core"
field "$kiosk_deb" Depends | grep -q 'fonts-noto-cjk' || fail "alliance-kiosk does not depend on fonts-noto-cjk"
field "$kiosk_deb" Depends | grep -q 'libharfbuzz' || fail "alliance-kiosk's Depends lack HarfBuzz (dpkg-shlibdeps)"
field "$kiosk_deb" Depends | grep -q "alliance-common (= ${version}-" || fail "alliance-kiosk does not depend on alliance-common of its version"
field "$kiosk_deb" Recommends | grep -q 'cage' || fail "alliance-kiosk does not recommend cage"
field "$kiosk_deb" Depends | grep -q 'libglfw3' || fail "alliance-kiosk's Depends lack the libraries (dpkg-shlibdeps)"
ok "alliance-kiosk Depends: $(field "$kiosk_deb" Depends)"
# Phone numbers and e-mail domains are checked by libphonenumber and libidn2
# wherever records are validated: on the kiosk and centrally.
central_deb=$(printf '%s\n' $debs | grep /alliance-central_)
for deb in "$kiosk_deb" "$central_deb"; do
  for lib in libphonenumber8 libidn2-0; do
    field "$deb" Depends | grep -q "$lib" || fail "$(basename "$deb") does not depend on $lib"
  done
done
ok "alliance-kiosk and alliance-central depend on libphonenumber8 and libidn2-0"
for deb in $debs; do
  [ "$(field "$deb" Version | cut -d- -f1)" = "$version" ] || fail "$(basename "$deb") is not version $version"
done
ok "every package has version $version-<revision>"

# --- 3. install -----------------------------------------------------------------
say "dpkg -i$(for d in $debs; do printf ' %s' "$(basename "$d")"; done)"
dpkg -i $debs >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; fail "dpkg -i failed"; }
for p in $packages; do
  [ "$(dpkg-query -W -f='${db:Status-Status}' "$p")" = "installed" ] || fail "$p is not installed"
  dpkg -L "$p" >"$work/$p.files"
done
ok "installed: $packages"

# --- 4. what was installed ------------------------------------------------------
for p in $packages; do
  for bin in $(grep '^/usr/bin/' "$work/$p.files" || true); do
    name=$(basename "$bin")
    out=$("$bin" --version 2>&1) || fail "$bin --version failed: $out"
    [ "$out" = "$name $version" ] || fail "$bin --version says '$out', expected '$name $version'"
    ok "$bin --version: $out"
    [ -f "/usr/share/man/man1/$name.1.gz" ] || fail "no manual page for $name"
  done
done
[ -x /usr/bin/alliance-kiosk ] && [ -x /usr/bin/alliance-sync ] && [ -x /usr/bin/alliance-central ] ||
  fail "a program is missing from /usr/bin"

units=$(cat "$work"/*.files | grep -E '^/(usr/)?lib/systemd/system/[^/]+\.service$' || true)
[ "$(printf '%s\n' $units | grep -c .)" -eq 3 ] || fail "expected 3 units, found: $units"
for unit in $units; do
  if ! out=$(systemd-analyze verify "$unit" 2>&1); then
    printf '%s\n' "$out" | sed 's/^/    /' >&2
    fail "systemd-analyze verify $unit"
  fi
  [ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/    /'
  ok "systemd-analyze verify $unit"
done
for unit in alliance-sync.service alliance-central.service; do
  [ -L "/etc/systemd/system/multi-user.target.wants/$unit" ] || fail "$unit is not enabled"
done
ok "alliance-sync and alliance-central are enabled (multi-user.target)"
if ls /etc/systemd/system/*/alliance-kiosk-session.service >/dev/null 2>&1; then
  fail "the kiosk session was enabled by the package (it takes over tty1: the administrator enables it)"
fi
ok "the kiosk session is installed but not enabled"

getent group alliance >/dev/null || fail "no group alliance"
IFS=: read -r _ _ uid gid _ home shell <<EOT
$(getent passwd alliance)
EOT
[ -n "$uid" ] || fail "no user alliance"
[ "$uid" -lt 1000 ] || fail "user alliance is not a system user (uid $uid)"
[ "$gid" = "$(getent group alliance | cut -d: -f3)" ] || fail "user alliance's group is not alliance"
[ "$home" = /var/lib/alliance ] || fail "user alliance's home is $home"
ok "system user alliance (uid $uid, group alliance, home $home, shell $shell)"

perm=$(stat -c '%U:%G %a' /var/lib/alliance)
[ "$perm" = "alliance:alliance 2770" ] || fail "/var/lib/alliance is '$perm', expected 'alliance:alliance 2770'"
ok "/var/lib/alliance is $perm (setgid, group read/write)"
perm=$(stat -c '%U:%G %a' /var/lib/alliance-central)
[ "$perm" = "alliance:alliance 750" ] || fail "/var/lib/alliance-central is '$perm'"
ok "/var/lib/alliance-central is $perm"

for p in kiosk sync central; do
  dpkg-query -W -f='${Conffiles}\n' "alliance-$p" | grep -q "/etc/alliance/$p.conf " ||
    fail "/etc/alliance/$p.conf is not a conffile of alliance-$p"
  [ "$(stat -c '%U:%G %a' "/etc/alliance/$p.conf")" = "root:root 644" ] || fail "/etc/alliance/$p.conf mode"
done
ok "conffiles: /etc/alliance/kiosk.conf, sync.conf, central.conf"
[ -x /usr/lib/alliance/alliance-kiosk-launch ] || fail "no kiosk session launcher"
ok "kiosk session launcher /usr/lib/alliance/alliance-kiosk-launch"

# The shared database, as deployed: a server to enrol against...
port=$((20000 + $$ % 20000))
code=$(alliance-central enroll-code --db "$work/central.db" --office Test) || fail "enroll-code"
code=$(printf '%s\n' "$code" | tail -n 1)
alliance-central serve --db "$work/central.db" --listen "127.0.0.1:$port" >"$work/central.log" 2>&1 &
server_pid=$!
# ...enrolment by root with only --server and --code (the default database)...
enrolled=""
for _ in $(seq 1 50); do
  if out=$(env -u ALLIANCE_DB alliance-sync enroll --server "http://127.0.0.1:$port" --code "$code" 2>&1); then
    enrolled=1; break
  fi
  case "$out" in *refused*code*) break ;; esac
  sleep 0.2
done
[ -n "$enrolled" ] || { cat "$work/central.log" >&2; fail "alliance-sync enroll --server --code: $out"; }
ok "alliance-sync enroll with only --server and --code: $out"
[ -f /var/lib/alliance/kiosk.db ] || fail "enroll did not use /var/lib/alliance/kiosk.db"
for f in /var/lib/alliance/kiosk.db*; do
  perm=$(stat -c '%G %a' "$f")
  [ "$perm" = "alliance 660" ] || fail "$f is '$perm', expected group alliance, mode 660"
  ok "$f: group alliance, mode 660"
done
# ...the agent (user alliance) syncs it...
as_agent() { setpriv --reuid=alliance --regid=alliance --init-groups -- env -u ALLIANCE_DB HOME=/var/lib/alliance "$@"; }
out=$(as_agent alliance-sync once 2>&1) || fail "alliance-sync once as user alliance: $out"
out=$(as_agent alliance-sync status 2>&1) || fail "alliance-sync status as user alliance: $out"
ok "user alliance runs alliance-sync once and status on the shared database"
# ...the kiosk's desktop user (here: nobody, in group alliance) uses it too...
out=$(setpriv --reuid=nobody --regid=nogroup --groups=alliance -- env HOME=/nonexistent \
      alliance-kiosk export --db /var/lib/alliance/kiosk.db members 2>&1) ||
  fail "a desktop user in group alliance cannot use the kiosk database: $out"
ok "a desktop user in group alliance opens the kiosk database"
# ...and nobody else.
if out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups -- env HOME=/nonexistent \
         alliance-kiosk export --db /var/lib/alliance/kiosk.db members 2>&1); then
  fail "a user outside group alliance can open the kiosk database"
fi
ok "a user outside group alliance is refused: $out"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""

# --- 5. remove, then purge ------------------------------------------------------
say "dpkg --remove $packages"
dpkg --remove $packages >"$work/remove.log" 2>&1 || { cat "$work/remove.log" >&2; fail "dpkg --remove failed"; }
for p in $packages; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p")
  case "$p" in
    alliance-common) ;;
    *) [ "$status" = "config-files" ] || fail "$p is '$status' after remove, expected config-files" ;;
  esac
done
for b in alliance-kiosk alliance-sync alliance-central; do
  [ ! -e "/usr/bin/$b" ] || fail "/usr/bin/$b is still there after remove"
done
for c in kiosk sync central; do
  [ -f "/etc/alliance/$c.conf" ] || fail "/etc/alliance/$c.conf is gone after remove (a conffile must stay)"
done
[ -f /var/lib/alliance/kiosk.db ] || fail "/var/lib/alliance/kiosk.db is gone after remove"
getent passwd alliance >/dev/null || fail "user alliance is gone after remove"
ok "after remove: programs gone; /etc/alliance/*.conf, /var/lib/alliance/kiosk.db and user alliance kept"

say "dpkg --purge $packages"
dpkg --purge $packages >"$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; fail "dpkg --purge failed"; }
for p in $packages; do
  if is_known "$p"; then fail "$p is still known to dpkg after purge"; fi
done
left=""
for p in $packages; do
  while IFS= read -r path; do
    if [ -L "$path" ] && [ -d "$path" ]; then
      continue  # a merged-/usr link such as /lib -> usr/lib: the system's, not ours
    elif [ -d "$path" ]; then
      # A folder another package still owns (/usr/bin, ...) stays.
      if dpkg -S "$path" >/dev/null 2>&1; then continue; fi
      left="$left $path"
    elif [ -e "$path" ] || [ -L "$path" ]; then
      left="$left $path"
    fi
  done <"$work/$p.files"
done
[ -z "$left" ] || fail "left behind after purge:$left"
ok "every file dpkg -L listed is gone"
for d in /var/lib/alliance /var/lib/alliance-central /etc/alliance; do
  [ ! -e "$d" ] || fail "$d is still there after purge"
done
ok "/var/lib/alliance, /var/lib/alliance-central and /etc/alliance are gone"
if getent passwd alliance >/dev/null; then fail "user alliance is still there after purge"; fi
if getent group alliance >/dev/null; then fail "group alliance is still there after purge"; fi
ok "user and group alliance are gone"
stray=$(find /etc/systemd/system /var/lib/systemd/deb-systemd-helper-enabled \
        /var/lib/systemd/deb-systemd-helper-masked -name '*alliance*' 2>/dev/null || true)
[ -z "$stray" ] || fail "systemd links left behind: $stray"
ok "no enable/mask links left in /etc/systemd/system"

say "PASSED: $checks checks"
