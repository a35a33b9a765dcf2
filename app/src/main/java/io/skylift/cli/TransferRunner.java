package io.skylift.cli;

import io.skylift.engine.Direction;
import io.skylift.engine.Transfer;
import io.skylift.engine.TransferException;
import io.skylift.engine.TransferEngine;
import io.skylift.engine.TransferResult;
import io.skylift.engine.TransferState;
import io.skylift.json.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Runs a command's transfers to the end and reports them: a live progress line on a terminal,
 * one plain line per finished transfer elsewhere, JSON lines with {@code --json}. Ctrl-C pauses
 * everything (the journal keeps it resumable) and exits with code 3.
 */
final class TransferRunner {

    private final TransferEngine engine;
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;

    TransferRunner(TransferEngine engine, PrintWriter out, PrintWriter err, boolean json) {
        this.engine = engine;
        this.out = out;
        this.err = err;
        this.json = json;
    }

    /**
     * Queues the command's transfers with {@code queue} and waits for them. Ctrl-C is caught from
     * before the first is queued: a large folder takes a while to plan, and stopping then must
     * leave what was planned resumable too.
     */
    int run(Supplier<List<Transfer>> queue) {
        AtomicBoolean finished = new AtomicBoolean();
        Thread interrupt = Thread.ofPlatform().name("skylift-interrupt").unstarted(() -> {
            if (finished.get()) {
                return;
            }
            err.println();
            err.println("skylift: interrupted; pausing transfers so they can be resumed...");
            err.flush();
            engine.pauseAll();
            err.println("skylift: paused. Continue with `skylift resume --all" + directOptions(engine) + "`.");
            err.flush();
            out.flush();
            // A shutdown hook cannot return an exit code; halting is the only way to report 3.
            Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
        });
        Runtime.getRuntime().addShutdownHook(interrupt);
        List<Transfer> transfers;
        try {
            transfers = queue.get();
        } catch (RuntimeException e) {
            finished.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(interrupt);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C came meanwhile: its hook reports; the planning error below is the one to show
            }
            throw e;
        }
        ConsoleProgress progress = ConsoleProgress.forStream(err, !json && System.console() != null && System.console().isTerminal(), transfers.size(),
                engine::connections);
        engine.addListener(progress);
        int exit = ExitCodes.OK;
        List<String> taken = new ArrayList<>();
        List<String> archived = new ArrayList<>();
        try {
            for (Transfer transfer : transfers) {
                TransferResult result = transfer.stopped().join();
                progress.finished(result);
                if (json) {
                    out.println(jsonLine(result));
                    out.flush();
                }
                if (result.state() != TransferState.DONE) {
                    exit = ExitCodes.FAILURE;
                    if (result.cause() == TransferException.Reason.EXISTS && result.direction() == Direction.UPLOAD) {
                        taken.add(Path.of(result.file()).getFileName().toString());
                    }
                    if (result.cause() == TransferException.Reason.ARCHIVED) {
                        archived.add(result.key());
                    }
                }
            }
        } finally {
            finished.set(true);
            engine.removeListener(progress);
            progress.close();
            try {
                Runtime.getRuntime().removeShutdownHook(interrupt);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running
            }
        }
        if (!taken.isEmpty()) {
            // One line naming them all: in a folder of thousands, the per-file lines scroll away.
            err.println("skylift: " + taken.size() + (taken.size() == 1 ? " file was" : " files were") + " not uploaded because other files"
                    + " hold their names: " + named(taken) + ". Run again with --if-exists rename to keep both, or --if-exists skip.");
            err.flush();
        }
        if (archived.size() > 1) {
            // A folder of archived files: one line with what to do, not only one per file.
            err.println("skylift: " + archived.size() + " files were not downloaded because they are archived: " + named(archived)
                    + ". Restore them with `skylift restore KEY|PREFIX/`, then download again once `skylift ls` shows them restored.");
            err.flush();
        }
        return exit;
    }

    // The one line stays readable: past this many names it counts the rest.
    private static final int NAMED_TAKEN = 20;

    private static String named(List<String> names) {
        return TerminalText.of(String.join(", ", names.subList(0, Math.min(NAMED_TAKEN, names.size()))))
                + (names.size() > NAMED_TAKEN ? " and " + (names.size() - NAMED_TAKEN) + " more" : "");
    }

    static String jsonLine(TransferResult r) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", r.id());
        line.put("direction", r.direction().name().toLowerCase(java.util.Locale.ROOT));
        line.put("file", r.file());
        line.put("key", r.key());
        line.put("size", r.size());
        line.put("state", r.state().name().toLowerCase(java.util.Locale.ROOT));
        line.put("bytesTransferred", r.bytesTransferred());
        line.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
        line.put("crc32c", r.crc32c());
        if (r.verifiedBy() != null) {
            line.put("verified", r.verifiedBy());
        }
        if (r.skipped() != null) {
            line.put("skipped", r.skipped());
        }
        line.put("connections", r.connections());
        try {
            return Json.OUTPUT.writeValueAsString(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // Direct transfers resume only through the same bucket and server: the hint names them.
    static String directOptions(TransferEngine engine) {
        var direct = engine.settings().direct();
        if (direct == null) {
            return "";
        }
        return " --bucket " + direct.bucket() + (direct.profile() == null ? "" : " --profile " + direct.profile())
                + (direct.region() == null ? "" : " --region " + direct.region())
                + (direct.endpoint() == null ? "" : " --endpoint " + direct.endpoint());
    }
}
