package io.skylift.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The handler's cold path in a fresh JVM holding only the deployment artifact: prints the figures. */
class ColdPathIT {

    @Test
    void aFreshJvmAnswersItsFirstRequestAndThenSigns100UrlsWarm() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classPath = LambdaArtifactIT.artifact() + File.pathSeparator + Path.of("target", "test-classes");
        Process probe = new ProcessBuilder(java, "-cp", classPath, "-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
                ColdPathProbe.class.getName()).redirectErrorStream(true).start();
        String output = new String(probe.getInputStream().readAllBytes());
        assertThat(probe.waitFor(2, TimeUnit.MINUTES)).isTrue();

        System.out.println(output.strip());
        assertThat(probe.exitValue()).as(output).isZero();
        assertThat(output).contains("cold path: first request answered").contains("(status 200)");
    }
}
