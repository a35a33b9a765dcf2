package io.skylift.backend.route;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.skylift.backend.http.ApiError;
import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Cursor;
import io.skylift.backend.http.PageBudget;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.keys.KeyRules;
import io.skylift.backend.storage.Archive;
import io.skylift.backend.storage.Bucket;
import io.skylift.backend.storage.S3Limits;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code GET /v1/files?prefix=&delimiter=/&cursor=}: files the caller may read, a page at a time.
 * With {@code delimiter=/} the page also names the sub-folders, as a file browser needs.
 */
public final class ListFiles implements Router.Action {

    public record Response(String prefix, List<FileEntry> files,
                           @JsonInclude(JsonInclude.Include.NON_NULL) List<String> folders, String nextCursor) {}

    /**
     * @param storageClass S3's storage class as listed, null where storage names none (STANDARD)
     * @param archive      null for a file that downloads now; why it does not, otherwise
     */
    public record FileEntry(String key, long size, String etag, Instant lastModified, String storageClass, Archive archive) {}

    // After a folder "a/b/", resume past every key under it: U+10FFFF sorts after any real name.
    private static final String PAST_FOLDER = new String(Character.toChars(0x10FFFF));

    private final KeyRules keys;
    private final Bucket bucket;

    public ListFiles(KeyRules keys, Bucket bucket) {
        this.keys = keys;
        this.bucket = bucket;
    }

    private sealed interface Entry permits FileItem, FolderItem {
        String sortKey();
    }

    private record FileItem(FileEntry file) implements Entry {
        public String sortKey() {
            return file.key();
        }
    }

    private record FolderItem(String folder) implements Entry {
        public String sortKey() {
            return folder;
        }
    }

    @Override
    public ApiResponse handle(ApiRequest request, Identity caller) {
        String prefix = keys.listablePrefix(caller, request.query("prefix").orElse(null));
        String delimiter = request.query("delimiter").orElse(null);
        if (delimiter != null && !delimiter.equals("/")) {
            throw ApiError.badRequest("DELIMITER_INVALID", "delimiter may only be \"/\".");
        }
        String startAfter = null;
        if (request.query("cursor").isPresent()) {
            startAfter = Cursor.decode(request.query("cursor").get());
            if (!startAfter.startsWith(prefix)) {
                throw Cursor.invalid();
            }
        }
        var page = bucket.objectsPageWithRestoreStatus(prefix, startAfter, delimiter, S3Limits.MAX_LIST_PAGE);
        String floor = startAfter;
        List<Entry> entries = Stream.concat(
                        page.contents().stream()
                                .filter(o -> !o.key().endsWith("/"))
                                .map(o -> (Entry) new FileItem(new FileEntry(o.key(), o.size(), o.eTag(), o.lastModified(),
                                        o.storageClassAsString(), Archive.listed(o)))),
                        page.commonPrefixes().stream().map(p -> (Entry) new FolderItem(p.prefix())))
                .filter(e -> floor == null || KeyRules.S3_ORDER.compare(e.sortKey(), floor) > 0)
                .sorted(Comparator.comparing(Entry::sortKey, KeyRules.S3_ORDER))
                .toList();

        PageBudget budget = new PageBudget();
        List<FileEntry> files = new ArrayList<>();
        List<String> folders = new ArrayList<>();
        Entry last = null;
        boolean cut = false;
        for (Entry entry : entries) {
            Object item = entry instanceof FileItem f ? f.file() : ((FolderItem) entry).folder();
            if (files.size() + folders.size() == S3Limits.MAX_LIST_PAGE || !budget.admit(item)) {
                cut = true;
                break;
            }
            switch (entry) {
                case FileItem f -> files.add(f.file());
                case FolderItem f -> folders.add(f.folder());
            }
            last = entry;
        }
        String next = null;
        if ((cut || Boolean.TRUE.equals(page.isTruncated())) && last != null) {
            next = Cursor.encode(last instanceof FolderItem f ? f.folder() + PAST_FOLDER : last.sortKey());
        }
        return ApiResponse.ok(new Response(prefix, files, delimiter == null ? null : folders, next));
    }
}
