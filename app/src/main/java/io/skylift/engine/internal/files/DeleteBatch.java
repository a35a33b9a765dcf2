package io.skylift.engine.internal.files;

import io.skylift.engine.FileFailure;
import io.skylift.engine.RemoteEntry;
import io.skylift.engine.internal.api.ApiCallException;
import io.skylift.engine.internal.api.BackendClient;
import io.skylift.engine.internal.api.Wire;
import io.skylift.engine.internal.retry.Backoff;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Up to {@value #MAX_KEYS} files deleted with one call of {@code POST /v1/batch/deletions}. The
 * service checks every key before deleting any and refuses the whole call for one it will not delete
 * ({@code keys[i]: …}: another person's, the archive, a name it refuses); that key is set aside as
 * failed and the rest sent again, at most {@value #MAX_REFUSED} times, so one bad key among a
 * folder's thousand never keeps the others. Keys storage was too busy for ({@code retryable}) are
 * sent again with {@link Backoff#API}'s waits, at most its attempts in all. Not thread-safe: one
 * caller sends it, once, on a thread that may sleep.
 *
 * <pre>{@code
 * var batch = new DeleteBatch(api);
 * files.forEach(batch::add);          // at most MAX_KEYS
 * batch.send();                        // then deleted(), bytes(), failed()
 * }</pre>
 */
public final class DeleteBatch {

    /** The service's limit for one call, and S3's for one DeleteObjects. */
    public static final int MAX_KEYS = 1_000;
    /** Refused keys set aside before the rest of the batch is given up: each costs a call. */
    static final int MAX_REFUSED = 20;

    private static final Pattern REFUSED_KEY = Pattern.compile("keys\\[(\\d+)\\]: (.*)", Pattern.DOTALL);

    private final BackendClient api;
    private final List<RemoteEntry> files = new ArrayList<>();
    private final List<FileFailure> failed = new ArrayList<>();
    private long deleted;
    private long bytes;

    public DeleteBatch(BackendClient api) {
        this.api = api;
    }

    public void add(RemoteEntry file) {
        if (files.size() == MAX_KEYS) {
            throw new IllegalStateException("A batch deletes at most " + MAX_KEYS + " files");
        }
        files.add(file);
    }

    public boolean full() {
        return files.size() == MAX_KEYS;
    }

    /**
     * Deletes the files added; the ones refused, one by one, are in {@link #failed()}.
     *
     * @throws ApiCallException for what refuses the call itself (sign-in, the network after retries)
     */
    public void send() {
        List<RemoteEntry> left = new ArrayList<>(files);
        int refused = 0;
        for (int attempt = 1; !left.isEmpty(); attempt++) {
            List<String> keys = left.stream().map(RemoteEntry::key).toList();
            Wire.Deleted answer;
            try {
                answer = api.deleteBatch(keys);
            } catch (ApiCallException e) {
                Matcher which = REFUSED_KEY.matcher(e.getMessage() == null ? "" : e.getMessage());
                // BATCH_INVALID (a key twice, too many) is the batch's shape, not one key's: setting a key aside would lose a file.
                if (e.status() < 400 || e.status() >= 500 || e.code().equals("BATCH_INVALID") || !which.matches()
                        || Integer.parseInt(which.group(1)) >= left.size()) {
                    throw e;
                }
                // The key's refusal, not the batch's: the others are sent again without it (not a failed attempt).
                RemoteEntry bad = left.remove(Integer.parseInt(which.group(1)));
                failed.add(new FileFailure(bad.key(), e.code(), bad.key() + ": " + which.group(2)));
                if (++refused == MAX_REFUSED) {
                    left.forEach(file -> failed.add(new FileFailure(file.key(), e.code(), file.key() + " was not deleted: "
                            + MAX_REFUSED + " other files of its batch were refused; delete it on its own.")));
                    return;
                }
                attempt--;
                continue;
            }
            left = settle(left, answer, !Backoff.API.exhausted(attempt));
            if (!left.isEmpty()) {
                pause(Backoff.API.delayAfter(attempt));
            }
        }
    }

    // Counts what was deleted and records what failed for good; returns the files storage was too busy for, to send again.
    private List<RemoteEntry> settle(List<RemoteEntry> sent, Wire.Deleted answer, boolean mayRetry) {
        Map<Integer, Wire.DeleteFailure> notDeleted = new HashMap<>();
        if (answer.failed() != null) {
            answer.failed().stream().filter(f -> f.index() >= 0 && f.index() < sent.size()).forEach(f -> notDeleted.putIfAbsent(f.index(), f));
        }
        List<RemoteEntry> again = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            RemoteEntry file = sent.get(i);
            Wire.DeleteFailure failure = notDeleted.get(i);
            if (failure == null) {
                deleted++;
                bytes += file.size();
            } else if (failure.retryable() && mayRetry) {
                again.add(file);
            } else {
                failed.add(new FileFailure(file.key(), failure.code(), file.key() + ": " + failure.message()));
            }
        }
        return again;
    }

    private static void pause(java.time.Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiCallException(0, "INTERRUPTED", "Deleting was interrupted", false, e);
        }
    }

    public long deleted() {
        return deleted;
    }

    public long bytes() {
        return bytes;
    }

    public List<FileFailure> failed() {
        return failed;
    }
}
