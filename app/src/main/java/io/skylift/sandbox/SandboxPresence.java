package io.skylift.sandbox;

/**
 * Whether this build carries the sandbox. The backend handler and the S3 server are optional
 * dependencies of the app: the developer build, the tests and the run command have them, the
 * installers do not. Whatever offers the sandbox asks here first, rather than meeting a
 * {@code NoClassDefFoundError} half way through starting it. This class must name neither part
 * directly, or asking would fail the same way. Thread-safe.
 */
public final class SandboxPresence {

    /** What to tell a person who asked for the sandbox where there is none. */
    public static final String MISSING = "This Skylift has no local sandbox: it comes with the developer build."
            + " From a clone of the source, run ./skylift gui --sandbox";

    // The classes that only the sandbox's two parts hold.
    private static final String[] PARTS = {"io.skylift.backend.Handler", "io.skylift.locals3.LocalS3", "org.gaul.s3proxy.S3Proxy"};

    private SandboxPresence() {}

    /** True when the sandbox can start in this process. */
    public static boolean inThisBuild() {
        return in(SandboxPresence.class.getClassLoader());
    }

    /** True when {@code loader} sees every part the sandbox needs. */
    static boolean in(ClassLoader loader) {
        for (String part : PARTS) {
            try {
                Class.forName(part, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }
        return true;
    }
}
