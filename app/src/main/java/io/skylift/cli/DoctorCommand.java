package io.skylift.cli;

import io.skylift.files.UserFolders;
import io.skylift.sandbox.SandboxPresence;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code skylift doctor}: checks that an installation is whole: the runtime, the native libraries of
 * the window (JavaFX) and of direct S3 transfers (AWS CRT), and the data folder.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, description = "Check this installation: runtime, native libraries, data folder.")
final class DoctorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        boolean ok = true;
        out.printf("skylift %s on Java %s (%s), %s %s%n", Version.current(), Runtime.version(), System.getProperty("java.home"),
                System.getProperty("os.name"), System.getProperty("os.arch"));
        ok &= check(out, "AWS CRT native library", () -> {
            software.amazon.awssdk.crt.CRT.getOSIdentifier();
            new software.amazon.awssdk.crt.CRT();
            return "loaded (" + software.amazon.awssdk.crt.CRT.getOSIdentifier() + "-" + software.amazon.awssdk.crt.CRT.getArchIdentifier() + ")";
        });
        ok &= check(out, "JavaFX native libraries", () -> {
            if (System.getProperty("os.name").startsWith("Linux") && System.getenv("DISPLAY") == null
                    && System.getenv("WAYLAND_DISPLAY") == null) {
                return "not checked (no display)";
            }
            // Starting the toolkit loads glass, prism and the platform's GUI libraries.
            var started = new java.util.concurrent.CountDownLatch(1);
            javafx.application.Platform.startup(started::countDown);
            boolean ready = started.await(30, java.util.concurrent.TimeUnit.SECONDS);
            javafx.application.Platform.exit();
            if (!ready) {
                throw new IllegalStateException("the window toolkit did not start in 30 s");
            }
            return "loaded (" + System.getProperty("javafx.runtime.version") + ")";
        });
        ok &= check(out, "Data folder", () -> UserFolders.data().toString());
        ok &= check(out, "Local sandbox", () -> SandboxPresence.inThisBuild() ? "in this build" : "not in this build (developer builds have it)");
        out.flush();
        return ok ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    private interface Probe {
        String run() throws Exception;
    }

    private static boolean check(PrintWriter out, String what, Probe probe) {
        try {
            out.printf("  %-26s %s%n", what, probe.run());
            return true;
        } catch (Throwable e) {
            out.printf("  %-26s FAILED: %s%n", what, ExitCodes.describe(e));
            return false;
        }
    }
}
