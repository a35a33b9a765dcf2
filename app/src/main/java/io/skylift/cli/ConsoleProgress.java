package io.skylift.cli;

import io.skylift.engine.Direction;
import io.skylift.engine.Progress;
import io.skylift.engine.TransferListener;
import io.skylift.engine.TransferResult;
import io.skylift.engine.TransferState;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * Progress on the terminal: one redrawn line for all transfers (bar, bytes, rate, ETA, files done,
 * connections carrying bytes now), or, when the output is not a terminal, nothing but one line per
 * finished transfer.
 */
final class ConsoleProgress implements TransferListener, AutoCloseable {

    private static final int BAR = 28;

    private final PrintWriter err;
    private final boolean live;
    private final int count;
    private final IntSupplier connections;
    private final Map<String, Progress> latest = new ConcurrentHashMap<>();
    private int finished;
    private boolean drawn;

    private ConsoleProgress(PrintWriter err, boolean live, int count, IntSupplier connections) {
        this.err = err;
        this.live = live;
        this.count = count;
        this.connections = connections;
    }

    /** @param connections the engine's connections now (never blocks) */
    static ConsoleProgress forStream(PrintWriter err, boolean live, int count, IntSupplier connections) {
        return new ConsoleProgress(err, live, count, connections);
    }

    @Override
    public void onProgress(Progress progress) {
        latest.put(progress.transferId(), progress);
        redraw();
    }

    @Override
    public void onStateChanged(Progress progress) {
        latest.put(progress.transferId(), progress);
        redraw();
    }

    synchronized void finished(TransferResult result) {
        finished++;
        clearLine();
        String name = result.file() == null ? result.key() : result.file();
        String verb = result.direction().name().toLowerCase(Locale.ROOT);
        switch (result.state()) {
            case DONE -> {
                if (TransferResult.SKIPPED_IDENTICAL.equals(result.skipped()) && result.direction() == Direction.DOWNLOAD) {
                    err.printf("%s %s: already here (%s), nothing fetched%n", verb, shortName(name),
                            TransferResult.BY_CRC32C.equals(result.verifiedBy()) ? "same size and CRC32C" : "same size; storage holds no checksum");
                } else if (TransferResult.SKIPPED_IDENTICAL.equals(result.skipped())) {
                    err.printf("%s %s: already stored (same size and CRC32C), nothing sent%n", verb, shortName(name));
                } else if (TransferResult.SKIPPED_EXISTS.equals(result.skipped())) {
                    err.printf("%s %s: skipped: another file of that name is stored%n", verb, shortName(name));
                } else {
                    err.printf("%s %s: done, %s in %.1f s%s%n", verb, shortName(name), ByteSize.format(result.size()), result.seconds(),
                            TransferResult.BY_SIZE.equals(result.verifiedBy()) ? " (only its size could be checked: storage holds no checksum for it)" : "");
                }
            }
            case PAUSED -> err.printf("%s %s: paused%s. Resume with `skylift resume %s`.%n", verb, shortName(name),
                    result.reason() == null ? "" : " (" + TerminalText.of(result.reason()) + ")", result.id().substring(0, 8));
            default -> err.printf("%s %s: %s%s%n", verb, shortName(name), result.state().name().toLowerCase(Locale.ROOT),
                    result.reason() == null ? "" : ": " + TerminalText.of(result.reason()));
        }
        err.flush();
        redraw();
    }

    private synchronized void redraw() {
        if (!live) {
            return;
        }
        long done = 0;
        long total = 0;
        long rate = 0;
        for (Progress p : latest.values()) {
            done += p.bytesDone();
            total += p.bytesTotal();
            if (p.state() == TransferState.RUNNING) {
                rate += p.bytesPerSecond();
            }
        }
        double fraction = total == 0 ? 0 : (double) done / total;
        int filled = (int) Math.round(fraction * BAR);
        String eta = rate > 0 ? duration((total - done) / rate) : "--:--";
        String line = String.format(Locale.ROOT, "\r[%s%s] %3.0f%%  %s / %s  %s  ETA %s  %d/%d files  %d conn",
                "=".repeat(filled), " ".repeat(BAR - filled), fraction * 100, ByteSize.format(done), ByteSize.format(total),
                ByteSize.rate(rate), eta, finished, count, connections.getAsInt());
        err.print(line);
        err.flush();
        drawn = true;
    }

    private void clearLine() {
        if (drawn) {
            err.print("\r" + " ".repeat(110) + "\r");
            drawn = false;
        }
    }

    private static String shortName(String path) {
        int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
        return TerminalText.of(slash < 0 ? path : path.substring(slash + 1));
    }

    private static String duration(long seconds) {
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }

    @Override
    public synchronized void close() {
        clearLine();
        err.flush();
    }
}
