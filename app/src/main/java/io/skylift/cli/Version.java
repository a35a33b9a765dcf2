package io.skylift.cli;

import picocli.CommandLine.IVersionProvider;

/** The version written into skylift.jar's manifest by the build. */
final class Version implements IVersionProvider {

    static String current() {
        String version = Version.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"skylift " + current()};
    }
}
