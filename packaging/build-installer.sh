#!/usr/bin/env bash
# Builds Skylift's installer for the OS this runs on: a jlink'ed runtime with only the modules the
# app needs plus JavaFX, then jpackage. Linux: .deb (and .rpm where rpmbuild exists); Windows: .msi
# (per user, no admin rights); macOS: .dmg (signed and notarised when the identities are set).
# Run by `./mvnw -Pinstaller -DskipTests package`, after Maven has gathered the jars into
# packaging/target/input (the app) and packaging/target/javafx (JavaFX for this platform).
#
# Environment: JAVA_HOME (JDK 25), SKYLIFT_VERSION, SKYLIFT_PRESET_API (optional: an organisation's
# API URL). macOS, all optional: MACOS_BUNDLE_ID; for signing MACOS_SIGNING_IDENTITY (the identity,
# e.g. "Developer ID Application: Example Ltd (AB12CD34EF)") and, on a fresh runner,
# MACOS_CERTIFICATE (the .p12, base64) with MACOS_CERTIFICATE_PASSWORD; for notarising either
# MACOS_NOTARY_KEY (an App Store Connect API key's .p8, base64) with MACOS_NOTARY_KEY_ID and
# MACOS_NOTARY_ISSUER, or MACOS_NOTARY_PROFILE (a notarytool profile saved on this machine).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
TARGET="$HERE/target"
JAVA_HOME="${JAVA_HOME:?set JAVA_HOME to a JDK 25}"
source "$HERE/platform.sh"
INPUT="$TARGET/input"
FX="$TARGET/javafx"
OUT="$TARGET/installer"
rm -rf "$TARGET/runtime" "$OUT" "$TARGET/app-image"
mkdir -p "$OUT"

case "$(uname -s)" in
  Linux) OS=linux ;;
  Darwin) OS=mac ;;
  MINGW*|MSYS*|CYGWIN*) OS=windows ;;
  *) echo "unsupported OS $(uname -s)" >&2; exit 1 ;;
esac
VERSION="$(installer_version "$OS" "${SKYLIFT_VERSION:?}")"

# Windows tools want Windows paths; Git Bash gives /d/... ones.
native() { if [ "$OS" = windows ]; then cygpath -m "$1"; else echo "$1"; fi; }
HERE="$(native "$HERE")"; TARGET="$(native "$TARGET")"; INPUT="$(native "$INPUT")"; FX="$(native "$FX")"; OUT="$(native "$OUT")"
JAVA_HOME="$(native "$JAVA_HOME")"

# The JDK modules the app's code reaches, as jdeps finds them, plus what it loads by name:
# jdk.crypto.ec and jdk.crypto.cryptoki (TLS), jdk.localedata (dates in the window), jdk.charsets,
# jdk.httpserver (the browser sign-in's loopback receiver), jdk.zipfs, jdk.unsupported (Okio, the CRT).
CLASSPATH="$(ls "$INPUT"/*.jar | tr '\n' "$( [ "$OS" = windows ] && echo ';' || echo ':')")"
JDK_MODULES="$("$JAVA_HOME/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 25 \
  --class-path "$CLASSPATH" "$INPUT/skylift.jar")"
# On Windows the trust store is the system's (Windows-ROOT below), which jdk.crypto.mscapi provides.
OS_MODULES="$( [ "$OS" = windows ] && echo ",jdk.crypto.mscapi" || true)"
MODULES="$(echo "$JDK_MODULES,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.localedata,jdk.charsets,jdk.httpserver,jdk.zipfs,jdk.unsupported,javafx.controls$OS_MODULES" \
  | tr ',' '\n' | sort -u | paste -sd, -)"
echo "Runtime modules: $MODULES"
echo "$MODULES" | tr ',' '\n' | sort > "$TARGET/runtime-modules.txt"

# The runtime's modules are stored uncompressed: the package compresses the whole image far better
# than jlink's per-class zip can (the .deb is 52 rather than 71 MB), and classes load without
# inflating. It costs disk once installed.
"$JAVA_HOME/bin/jlink" --module-path "$JAVA_HOME/jmods$( [ "$OS" = windows ] && echo ';' || echo ':')$FX" \
  --add-modules "$MODULES" --strip-debug --strip-native-commands --no-header-files --no-man-pages --compress zip-0 \
  --output "$TARGET/runtime"

# The launchers' JVM: the system's proxies and, where the platform has one, its trust store; then
# the collector: the window's keeps it free of long pauses, the command line's keeps memory flat
# (ADR 2 and 3).
SHARED_OPTIONS="-Djava.net.useSystemProxies=true --enable-native-access=javafx.graphics,ALL-UNNAMED"
case "$OS" in
  windows) SHARED_OPTIONS="$SHARED_OPTIONS -Djavax.net.ssl.trustStoreType=Windows-ROOT" ;;
  mac) SHARED_OPTIONS="$SHARED_OPTIONS -Djavax.net.ssl.trustStoreType=KeychainStore-ROOT" ;;
esac
if [ -n "${SKYLIFT_PRESET_API:-}" ]; then
  SHARED_OPTIONS="$SHARED_OPTIONS -Dskylift.api=$SKYLIFT_PRESET_API"
fi
JAVA_OPTIONS="$(cat "$HERE/../app/src/main/launcher/window-jvm-options") $SHARED_OPTIONS"
CLI_LAUNCHER="$TARGET/cli-$OS.properties"
cp "$HERE/src/launcher/cli-$OS.properties" "$CLI_LAUNCHER"
echo "java-options=$(cat "$HERE/../app/src/main/launcher/jvm-options") $SHARED_OPTIONS" >> "$CLI_LAUNCHER"

COMMON=(--name Skylift --app-version "$VERSION" --vendor "Skylift"
  --description "Moves very large files between this computer and Amazon S3"
  --copyright "Copyright 2026 the Skylift authors" --license-file "$HERE/../LICENSE"
  --input "$INPUT" --main-jar skylift.jar --main-class io.skylift.cli.Main
  --runtime-image "$TARGET/runtime" --java-options "$JAVA_OPTIONS"
  --add-launcher "skylift=$CLI_LAUNCHER" --dest "$OUT")

case "$OS" in
  linux)
    # The menu entry is our own desktop file, installed by our postinst with plain file copies, and
    # src/linux/control lists the dependencies itself: jpackage would add xdg-utils, whose install
    # fails on some systems.
    LINUX=(--icon "$HERE/src/icons/skylift.png" --linux-package-name skylift --linux-app-category net
      --linux-package-deps "libgtk-3-0" --linux-deb-maintainer "skylift@example.com"
      --resource-dir "$HERE/src/linux" --app-content "$HERE/src/linux/desktop")
    "$JAVA_HOME/bin/jpackage" --type deb "${COMMON[@]}" "${LINUX[@]}" ${JPACKAGE_VERBOSE:+--verbose}
    if command -v rpmbuild > /dev/null; then
      "$JAVA_HOME/bin/jpackage" --type rpm "${COMMON[@]}" "${LINUX[@]}"
    fi
    ;;
  windows)
    "$JAVA_HOME/bin/jpackage" --type msi "${COMMON[@]}" --icon "$HERE/src/icons/skylift.ico" \
      --win-per-user-install --win-menu --win-menu-group Skylift --win-shortcut --win-dir-chooser \
      --win-upgrade-uuid 7f3c2a4e-6b1d-4c8e-9f2a-5d6e7b8c9a01
    ;;
  mac)
    MAC=(--icon "$HERE/src/icons/skylift.icns" --mac-package-identifier "${MACOS_BUNDLE_ID:-io.skylift.desktop}")
    if [ -n "${MACOS_SIGNING_IDENTITY:-}" ]; then
      MAC+=(--mac-sign --mac-signing-key-user-name "$(mac_signing_name "$MACOS_SIGNING_IDENTITY")")
      if [ -n "${MACOS_CERTIFICATE:-}" ]; then
        # A fresh runner has no certificate: put it in a keychain of this build's own, unlocked,
        # that codesign may use without asking, and remove it when done.
        KEYCHAIN="$TARGET/signing.keychain-db"
        KEYCHAIN_PASSWORD="$(openssl rand -hex 24)"
        trap 'security delete-keychain "$KEYCHAIN" 2> /dev/null || true; rm -f "$TARGET/signing.p12"' EXIT
        echo "$MACOS_CERTIFICATE" | base64 --decode > "$TARGET/signing.p12"
        security create-keychain -p "$KEYCHAIN_PASSWORD" "$KEYCHAIN"
        security set-keychain-settings -lut 3600 "$KEYCHAIN"
        security unlock-keychain -p "$KEYCHAIN_PASSWORD" "$KEYCHAIN"
        security import "$TARGET/signing.p12" -k "$KEYCHAIN" -P "${MACOS_CERTIFICATE_PASSWORD:?}" -T /usr/bin/codesign -T /usr/bin/productsign
        security set-key-partition-list -S apple-tool:,apple:,codesign: -s -k "$KEYCHAIN_PASSWORD" "$KEYCHAIN" > /dev/null
        security list-keychains -d user -s "$KEYCHAIN" $(security list-keychains -d user | tr -d '"')
        MAC+=(--mac-signing-keychain "$KEYCHAIN")
      fi
    fi
    "$JAVA_HOME/bin/jpackage" --type dmg "${COMMON[@]}" "${MAC[@]}"
    if [ -n "${MACOS_NOTARY_KEY:-}" ]; then
      # An App Store Connect API key works on any machine; a keychain profile only where it was saved.
      echo "$MACOS_NOTARY_KEY" | base64 --decode > "$TARGET/notary.p8"
      xcrun notarytool submit "$OUT"/*.dmg --key "$TARGET/notary.p8" --key-id "${MACOS_NOTARY_KEY_ID:?}" \
        --issuer "${MACOS_NOTARY_ISSUER:?}" --wait
      rm -f "$TARGET/notary.p8"
      xcrun stapler staple "$OUT"/*.dmg
    elif [ -n "${MACOS_NOTARY_PROFILE:-}" ]; then
      xcrun notarytool submit "$OUT"/*.dmg --keychain-profile "$MACOS_NOTARY_PROFILE" --wait
      xcrun stapler staple "$OUT"/*.dmg
    fi
    ;;
esac

echo "Installers:"
for file in "$OUT"/*; do
  printf "  %-40s %6d KiB\n" "$(basename "$file")" "$(( $(stat -c %s "$file" 2>/dev/null || stat -f %z "$file") / 1024 ))"
done
printf "Runtime image: %d KiB, %d modules\n" "$(du -sk "$TARGET/runtime" | cut -f1)" "$(wc -l < "$TARGET/runtime-modules.txt")"
