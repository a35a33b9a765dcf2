package io.skylift.engine.internal.files;

import io.skylift.engine.FileFailure;
import io.skylift.engine.RemoteEntry;
import io.skylift.engine.internal.api.ApiCallException;
import io.skylift.engine.internal.api.BackendClient;
import io.skylift.engine.internal.api.Wire;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Up to {@value #MAX_KEYS} files deleted with one call of {@code POST /v1/batch/deletions}. The
 * service checks every key before deleting any and refuses the whole call for one it will not delete
 * ({@code keys[i]: …}: another person's, the archive, a name it refuses); that key is set aside as
 * failed and the rest sent again, at most {@value #MAX_REFUSED} times, so one bad key among a
 * folder's thousand never keeps the others. Not thread-safe: one caller sends it, once.
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
        for (int refused = 0; !left.isEmpty(); refused++) {
            List<String> keys = left.stream().map(RemoteEntry::key).toList();
            Wire.Deleted answer;
            try {
                answer = api.deleteBatch(keys);
            } catch (ApiCallException e) {
                Matcher which = REFUSED_KEY.matcher(e.getMessage() == null ? "" : e.getMessage());
                if (e.status() < 400 || e.status() >= 500 || !which.matches() || Integer.parseInt(which.group(1)) >= left.size()) {
                    throw e;
                }
                RemoteEntry bad = left.remove(Integer.parseInt(which.group(1)));
                failed.add(new FileFailure(bad.key(), e.code(), bad.key() + ": " + which.group(2)));
                if (refused + 1 == MAX_REFUSED) {
                    left.forEach(file -> failed.add(new FileFailure(file.key(), e.code(), file.key() + " was not deleted: "
                            + MAX_REFUSED + " other files of its batch were refused; delete it on its own.")));
                    return;
                }
                continue;
            }
            Set<Integer> notDeleted = new HashSet<>();
            if (answer.failed() != null) {
                for (Wire.DeleteFailure failure : answer.failed()) {
                    if (failure.index() >= 0 && failure.index() < left.size() && notDeleted.add(failure.index())) {
                        String key = left.get(failure.index()).key();
                        failed.add(new FileFailure(key, failure.code(), key + ": " + failure.message()));
                    }
                }
            }
            for (int i = 0; i < left.size(); i++) {
                if (!notDeleted.contains(i)) {
                    deleted++;
                    bytes += left.get(i).size();
                }
            }
            return;
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
