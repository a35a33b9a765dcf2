#!/usr/bin/env bash
# Renders the window's main states (empty queue, busy queue, remote browser, settings, an error, and
# the shared archive's Archived / Restoring… / Restored until states) at 1280x800, and a share link's page
# in headless Chromium, into docs/. Needs JDK 25, Xvfb and Chromium
# (apt-get install -y xvfb libgtk-3-0 chromium chromium-driver).
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
xvfb-run -a -s "-screen 0 1280x800x24" ./mvnw -q -pl app -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='ScreenshotTourIT,SharePageBrowserIT' -Dfailsafe.failIfNoSpecifiedTests=false -Dskylift.screenshots="$PWD/docs"
# The Share dialog with a link made, from the window's share test.
xvfb-run -a -s "-screen 0 1280x800x24" ./mvnw -q -pl app test -Dtest=ShareWindowTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dskylift.screenshots="$PWD/docs"
ls -l docs/*.png
