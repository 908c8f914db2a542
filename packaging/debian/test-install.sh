#!/usr/bin/env bash
# Install the Debian package DEB on this machine (as root), check what it installed, and purge
# it again (also when a check fails), so the machine is left as it was:
#  - `regiosync --version` from /usr/bin prints the version and the commit;
#  - the system user, the data folder and the configuration readable by that user only;
#  - `systemd-analyze verify` finds no error in the installed unit (where systemd-analyze
#    exists; without a running systemd it still checks the unit file and its commands);
#  - `regiosync node --check` on the packaged configuration reports the certificates that are
#    not there yet, and exits non-zero.
set -euo pipefail
deb="$1"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

if dpkg -s regiosync >/dev/null 2>&1; then
  echo "regiosync is installed already: not touching it" >&2
  exit 1
fi
if ! command -v adduser >/dev/null 2>&1; then
  $sudo apt-get update
  $sudo apt-get install -y --no-install-recommends adduser
fi
trap '$sudo dpkg --purge regiosync >/dev/null' EXIT
$sudo dpkg -i "$deb"

echo "-- /usr/bin/regiosync --version"
version="$(/usr/bin/regiosync --version)"
echo "$version"
commit="$(git rev-parse --short HEAD 2>/dev/null || true)"
case "$version" in
  "regiosync "*" (commit ${commit:-unknown}"*) ;;
  *) echo "--version does not name the commit ${commit:-unknown}" >&2; exit 1 ;;
esac

echo "-- what the package made"
getent passwd regiosync
test "$(stat -c '%U:%G %a' /var/lib/regiosync)" = "regiosync:regiosync 750"
test "$(stat -c '%U:%G %a' /etc/regiosync/node.toml)" = "root:regiosync 640"
test "$(stat -c '%U:%G %a' /etc/regiosync/tls)" = "root:regiosync 750"
dpkg-query -W -f='${Conffiles}\n' regiosync | grep -q ' /etc/regiosync/node.toml '
test -s /usr/share/man/man1/regiosync.1.gz
grep -q "EUROPEAN UNION PUBLIC LICENCE v. 1.2" /usr/share/doc/regiosync/copyright
unit=/lib/systemd/system/regiosync.service
[ -f "$unit" ] || unit=/usr/lib/systemd/system/regiosync.service
test -f "$unit"

if command -v systemd-analyze >/dev/null 2>&1; then
  echo "-- systemd-analyze verify $unit"
  # --man=no: the Documentation= line needs man(1), which a minimal machine lacks; every
  # other finding (syntax, unknown settings, a command that is not there) fails.
  if ! out="$(systemd-analyze verify --man=no "$unit" 2>&1)" || [ -n "$out" ]; then
    echo "$out" >&2
    echo "systemd-analyze verify found problems in $unit" >&2
    exit 1
  fi
  echo "no problems"
  echo "-- systemd-analyze security (offline)"
  systemd-analyze security --offline=true "$unit" 2>/dev/null | tail -1 || true
else
  echo "-- systemd-analyze is not installed: the unit is not verified"
fi

echo "-- regiosync node --check on the packaged configuration (no certificates yet)"
set +e
check="$(/usr/bin/regiosync node --check --config /etc/regiosync/node.toml 2>&1)"
status=$?
set -e
echo "$check"
[ "$status" -eq 1 ] || { echo "node --check exited $status, not 1" >&2; exit 1; }
for key in tls.ca tls.cert tls.key tls.crl; do
  echo "$check" | grep -q "^/etc/regiosync/node.toml:[0-9]*:[0-9]*: $key: /etc/regiosync/tls/.*: No such file or directory" ||
    { echo "node --check did not report the missing $key" >&2; exit 1; }
done
echo "-- the package installs, runs and checks its configuration"
