# What each platform's installer tools accept, as small functions: sourced by build-installer.sh and
# checked by src/test/platform-test.sh (which runs on any OS, unlike the tools themselves).

# The version jpackage is given for OS ($1) from the project's version ($2). Everywhere it is the
# release's numbers without -SNAPSHOT. macOS refuses a bundle version whose first number is 0
# (jpackage: version-string-first-number-not-zero), so there the first number counts from 1:
# 0.1.0 becomes 1.1.0 and 1.2.3 becomes 2.2.3. Always adding one keeps later releases ordered
# after earlier ones, which macOS needs to upgrade in place.
installer_version() {
  local os="$1" version="${2%-SNAPSHOT}"
  if ! [[ "$version" =~ ^[0-9]+(\.[0-9]+){0,2}$ ]]; then
    echo "not a release version: $2 (want up to three numbers, like 1.2.3)" >&2
    return 1
  fi
  if [ "$os" = mac ]; then
    local first="${version%%.*}" rest=""
    [[ "$version" == *.* ]] && rest=".${version#*.}"
    version="$((10#$first + 1))$rest"
  fi
  echo "$version"
}

# jpackage's --mac-signing-key-user-name wants only the team part of a signing identity: it adds
# "Developer ID Application: " itself. People copy the whole identity from Keychain Access, so
# either form is accepted.
mac_signing_name() {
  local identity="$1"
  identity="${identity#Developer ID Application: }"
  identity="${identity#Developer ID Installer: }"
  identity="${identity#3rd Party Mac Developer Application: }"
  echo "$identity"
}
