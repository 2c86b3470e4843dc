#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring and a
# throwaway XDG_DATA_HOME, so tests use a real Secret Service and never touch the
# operator's own keychain.
set -euo pipefail
if [ "${FLUXBASE_KEYS_IN_KEYRING:-}" = 1 ]; then exec "$@"; fi
for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-keyring: '$tool' is missing. Install the test packages first:" >&2
    echo "  sudo apt-get install -y libsecret-1-dev gnome-keyring dbus-x11 chromium xvfb" >&2
    exit 2
  fi
done
export XDG_DATA_HOME="$(mktemp -d -t fbk-keyring-XXXXXX)"
trap 'rm -rf "$XDG_DATA_HOME"' EXIT
export FLUXBASE_KEYS_IN_KEYRING=1
# Tool caches in the project, not in /tmp (Playwright's transform cache, tsx's compile cache):
# a run leaves nothing in the machine's temporary folder.
CACHE_ROOT="$(cd "$(dirname "$0")/.." && pwd)/node_modules/.cache"
export PLAYWRIGHT_TRANSFORM_CACHE_DIR="${PLAYWRIGHT_TRANSFORM_CACHE_DIR:-$CACHE_ROOT/playwright-transform}"
# Harmless noise from the private bus: its fd limit, and Chromium's D-Bus activation of a
# notification daemon (dunst) that cannot open a display in a headless run.
NOISE='Failed to set fd limit|dbus-daemon\[[0-9]+\]|Cannot open X11 display|get_x11_output'
dbus-run-session -- bash -c '
  printf %s test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1
  exec "$@"' with-keyring "$@" 2> >(grep --line-buffered -vE "$NOISE" >&2)
