package io.skylift.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** A sandbox in a process of its own (`skylift sandbox --json`), for tests in other packages. */
public final class SkyliftTestProcess {

    private SkyliftTestProcess() {}

    /** A running sandbox process and what its JSON line said. */
    public static final class RunningSandbox implements AutoCloseable {
        private final SkyliftProcess process;
        private final JsonNode info;

        RunningSandbox(SkyliftProcess process, JsonNode info) {
            this.process = process;
            this.info = info;
        }

        public String api() {
            return info.get("api").asText();
        }

        public String photographerToken() {
            return info.get("photographerToken").asText();
        }

        @Override
        public void close() throws IOException, InterruptedException {
            process.stop();
            process.close();
        }
    }

    public static RunningSandbox startSandbox() throws IOException, InterruptedException {
        SkyliftProcess process = SkyliftProcess.start("sandbox", "--port", "0", "--json");
        return new RunningSandbox(process, new ObjectMapper().readTree(process.readLine()));
    }
}
