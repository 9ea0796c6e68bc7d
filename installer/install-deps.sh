#!/bin/sh
# Installs the Debian packages Alliance Field Kit needs to build, test and run
# its demo, and only those that are missing. Safe to run again at any time.
#
# usage: installer/install-deps.sh [--dry-run]
set -eu

# One package per line: keep this list exactly what the build, the tests and
# the demo use (docs/ARCHITECTURE.md says which part needs which).
PACKAGES="
build-essential
cmake
pkg-config
libsqlite3-dev
libpq-dev
postgresql
libcereal-dev
libicu-dev
libidn2-dev
iso-codes
doctest-dev
zlib1g-dev
libdeflate-dev
libjemalloc-dev
libcpp-httplib-dev
libboost-dev
libphonenumber-dev
libbrotli-dev
libcurl4-openssl-dev
libssl-dev
libsodium-dev
openssl
libimgui-dev
libglfw3-dev
libgl1-mesa-dev
libfreetype-dev
libharfbuzz-dev
libfribidi-dev
fonts-noto-core
fonts-noto-cjk
xvfb
xauth
xdotool
x11-xkb-utils
libharfbuzz-bin
imagemagick
python3
python3-yaml
python3-jsonschema
python3-selenium
chromium
chromium-driver
faketime
dpkg-dev
file
lintian
adduser
systemd
"

dry_run=0
case "${1:-}" in
  --dry-run) dry_run=1 ;;
  -h|--help)
    echo "usage: installer/install-deps.sh [--dry-run]"
    echo "Installs the Debian packages Alliance Field Kit needs, only those missing."
    exit 0 ;;
  "") ;;
  *) echo "install-deps: unknown option '$1' (try --help)" >&2; exit 2 ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "install-deps: this script needs a Debian system (dpkg and apt-get); install the packages listed in installer/install-deps.sh by hand" >&2
  exit 1
fi

missing=""
for pkg in $PACKAGES; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing="$missing $pkg"
done

if [ -z "$missing" ]; then
  echo "install-deps: all required packages are installed"
  exit 0
fi

echo "install-deps: missing:$missing"
[ "$dry_run" -eq 1 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  as_root=""
elif command -v sudo >/dev/null 2>&1; then
  as_root="sudo"
else
  echo "install-deps: need root to install:$missing (run as root, or install sudo)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# An apt index that has never been fetched cannot find anything: update once, then install.
if ! $as_root apt-get install -y --no-install-recommends $missing; then
  echo "install-deps: refreshing the package index once and retrying"
  $as_root apt-get update
  $as_root apt-get install -y --no-install-recommends $missing
fi
echo "install-deps: installed:$missing"
