package io.skylift.ui;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Moments when the machine ran nothing of ours at all: a process of its own that only sleeps 1 ms at a
 * time reports each wake that came more than {@value #REPORTED_MS} ms late. A virtual machine whose
 * cores are taken away (steal time) stalls it and the window alike; work in the window's process does
 * not, as a rule, since the kernel wakes a sleeper promptly however busy the cores are. Only the part of a delay
 * that such a pause does not explain says anything about the window.
 *
 * <pre>{@code
 * try (MachinePauses pauses = MachinePauses.watch()) {
 *     long posted = System.nanoTime(); ... long ran = ...;
 *     long late = pauses.unexplained(posted, ran);
 * }
 * }</pre>
 *
 * <p>Times are {@link System#nanoTime()}, which on Linux is the same monotonic clock in every process.
 */
final class MachinePauses implements AutoCloseable {

    static final int REPORTED_MS = 10;

    private record Pause(long from, long to) {}

    private final Process canary;
    private final List<Pause> pauses = new ArrayList<>();
    private final Thread reader;
    private boolean ready;

    private MachinePauses(Process canary) {
        this.canary = canary;
        this.reader = Thread.ofPlatform().daemon(true).name("machine-pauses").start(this::read);
    }

    /** Starts the sleeping process and waits until it runs. */
    static MachinePauses watch() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        String classes;
        try {
            classes = Path.of(MachinePauses.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        Process process = new ProcessBuilder(java, "-Xint", "-Xmx16m", "-XX:+UseSerialGC", "-cp", classes, Canary.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        var pauses = new MachinePauses(process);
        pauses.awaitReady();
        return pauses;
    }

    private synchronized void awaitReady() {
        long end = System.nanoTime() + 30_000_000_000L;
        while (!ready && System.nanoTime() < end) {
            try {
                wait(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!ready) {
            throw new IllegalStateException("The pause watcher did not start");
        }
    }

    private void read() {
        try (var lines = new BufferedReader(new InputStreamReader(canary.getInputStream(), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = lines.readLine()) != null) {
                synchronized (this) {
                    if (line.equals("ready")) {
                        ready = true;
                        notifyAll();
                        continue;
                    }
                    String[] times = line.split(" ");
                    pauses.add(new Pause(Long.parseLong(times[0]), Long.parseLong(times[1])));
                }
            }
        } catch (IOException | RuntimeException e) {
            // The canary stopped: from then on no pause explains anything.
        }
    }

    /** The part of the interval from {@code from} to {@code to} (ns) that no machine pause covers. */
    synchronized long unexplained(long from, long to) {
        long covered = 0;
        for (Pause pause : pauses) {
            long start = Math.max(from, pause.from());
            long end = Math.min(to, pause.to());
            if (end > start) {
                covered += end - start;
            }
        }
        return Math.max(0, to - from - covered);
    }

    long pid() {
        return canary.pid();
    }

    /** The longest pause seen, in ms. */
    synchronized double longestMs() {
        return pauses.stream().mapToLong(p -> p.to() - p.from()).max().orElse(0) / 1e6;
    }

    /** All pauses together, in ms. */
    synchronized double totalMs() {
        return pauses.stream().mapToLong(p -> p.to() - p.from()).sum() / 1e6;
    }

    /**
     * Waits a moment so that a pause that ended just now is reported too. A fixed wait is enough: the
     * canary prints a pause within a millisecond of its end, and one still going on is not over yet.
     */
    void settle() throws InterruptedException {
        Thread.sleep(3 * REPORTED_MS);
    }

    @Override
    public void close() throws InterruptedException {
        canary.destroy();
        canary.waitFor();
        reader.join(1000);
    }

    /** The sleeping process: prints "from to" (ns) for each wake more than {@value #REPORTED_MS} ms late. */
    static final class Canary {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("ready");
            System.out.flush();
            while (true) {
                long before = System.nanoTime();
                Thread.sleep(1);
                long after = System.nanoTime();
                // Its own 1 ms (and a little the kernel adds to every sleep) is no pause.
                if (after - before > (REPORTED_MS + 1) * 1_000_000L) {
                    System.out.println((before + 1_000_000L) + " " + after);
                    System.out.flush();
                }
            }
        }
    }
}
