package io.skylift.backend.storage;

import io.skylift.backend.keys.KeyRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.ChecksumType;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The control calls the backend makes on its one bucket. No method reads or writes file bytes.
 * Failures a caller does not handle propagate as SDK exceptions, mapped once by the handler.
 *
 * <p>Lists ask S3 for a page at a time and never trust S3 to honour the page size or the marker:
 * every page is trimmed here, so a response's size never depends on the storage server's paging.
 *
 * <p>Every list asks for {@code encoding-type=url}: XML 1.0 cannot carry some characters a key may
 * hold (U+0001, for one), and without the encoding a single such key makes S3's answer unreadable,
 * and its whole folder with it. The names come back decoded: the SDK's
 * {@code DecodeUrlEncodedResponseInterceptor} decodes keys, prefixes, delimiter and StartAfter of
 * ListObjectsV2, and keys and markers of ListMultipartUploads, when the answer says
 * {@code <EncodingType>url</EncodingType>}, and only then, so a server that ignores the request is
 * read as it answers. Decoding again here would corrupt names holding '%' or '+'. Continuation
 * tokens are never encoded; markers sent (StartAfter, KeyMarker) go out as plain query values.
 * Thread-safe.
 */
public final class Bucket {

    /** Thrown when an upload id no longer names an open upload (aborted, completed or expired). */
    public static final class UploadGone extends RuntimeException {
        UploadGone() {
            super(null, null, false, false);
        }
    }

    private final S3Client s3;
    private final String name;

    public Bucket(S3Client s3, String name) {
        this.s3 = s3;
        this.name = name;
    }

    /**
     * The object at {@code key}, or empty when there is none. S3 answers 403 rather than 404 for a missing
     * key to a caller that may not list the whole bucket (the template grants {@code s3:ListBucket} only
     * under the user and archive prefixes), and 403 is also what a real refusal looks like: a HEAD answer
     * has no body to tell them apart. So a 403 counts as "absent" only when a listing of exactly that name,
     * which the prefix grant allows, shows nothing; a refused listing or a listed name is a refusal.
     */
    public Optional<HeadObjectResponse> head(String key) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(name).key(key).checksumMode(ChecksumMode.ENABLED)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404 || (e.statusCode() == 403 && !listed(key))) {
                return Optional.empty();
            }
            throw e;
        }
    }

    // Every key under a prefix starts with it, so the key itself, if it exists, is listed first.
    private boolean listed(String key) {
        return s3.listObjectsV2(b -> b.bucket(name).prefix(key).maxKeys(1).encodingType(EncodingType.URL)).contents().stream()
                .anyMatch(object -> object.key().equals(key));
    }

    /**
     * What one folder holds from {@code first} through {@code last}, as far as a listing shows it.
     *
     * @param keys    the listed keys, from {@code first} through {@code through}
     * @param through the greatest key up to which {@code keys} is complete: {@code last}, or less when the
     *                listing stopped after its pages; a key past it may exist or not
     */
    public record KeyRange(Set<String> keys, String through) {
        public KeyRange {
            keys = Set.copyOf(keys);
        }
    }

    /**
     * Lists the keys under {@code prefix} from {@code first} through {@code last} (in S3's order), at most
     * {@code maxPages} pages: one call where a HEAD per key would make as many as there are keys.
     * StartAfter is exclusive: starting after {@code first} would miss {@code first} itself, so the listing
     * starts after {@code first} less its last character, which sorts before it and still lies under
     * {@code prefix} ({@code first} holds at least one character past the prefix).
     *
     * <p>{@code prefix} is a folder and the keys are its own files, so the listing asks for one level
     * ({@code delimiter=/}): what lies in sub-folders is never read (S3Proxy's file store otherwise
     * walks every file below the folder on each call).
     */
    public KeyRange keysBetween(String prefix, String first, String last, int maxPages) {
        String startAfter = first.substring(0, first.offsetByCodePoints(first.length(), -1));
        Set<String> keys = new HashSet<>();
        for (int page = 0; page < maxPages; page++) {
            ListObjectsV2Response response = objectsPage(prefix, startAfter, "/", S3Limits.MAX_LIST_PAGE);
            String floor = startAfter;
            List<String> listed = response.contents().stream().map(S3Object::key)
                    .filter(key -> KeyRules.S3_ORDER.compare(key, floor) > 0)
                    .sorted(KeyRules.S3_ORDER)
                    .toList();
            for (String key : listed) {
                if (KeyRules.S3_ORDER.compare(key, last) > 0) {
                    return new KeyRange(keys, last);
                }
                keys.add(key);
            }
            if (!Boolean.TRUE.equals(response.isTruncated())) {
                return new KeyRange(keys, last);
            }
            if (listed.isEmpty()) {
                // A truncated page with nothing past the marker: no progress can be trusted beyond it.
                break;
            }
            startAfter = listed.getLast();
        }
        return new KeyRange(keys, startAfter);
    }

    public String createMultipartUpload(String key, String contentType) {
        return s3.createMultipartUpload(b -> b.bucket(name).key(key).contentType(contentType)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32_C).checksumType(ChecksumType.FULL_OBJECT)).uploadId();
    }

    /** Parts after {@code marker}, at most {@code max}, in part-number order. */
    public List<Part> partsPage(String key, String uploadId, int marker, int max) {
        try {
            List<Part> parts;
            try {
                parts = s3.listParts(b -> b.bucket(name).key(key).uploadId(uploadId).partNumberMarker(marker).maxParts(max)).parts();
            } catch (S3Exception e) {
                // Some S3-compatible servers (S3Proxy among them) implement ListParts without paging and
                // answer 501 to a marker; they return every part at once, so list from the start and skip.
                if (e.statusCode() != 501 || marker == 0) {
                    throw e;
                }
                parts = s3.listParts(b -> b.bucket(name).key(key).uploadId(uploadId)).parts();
            }
            return parts.stream()
                    .filter(p -> p.partNumber() > marker)
                    .sorted(java.util.Comparator.comparingInt(Part::partNumber))
                    .limit(max)
                    .toList();
        } catch (NoSuchUploadException e) {
            throw new UploadGone();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new UploadGone();
            }
            throw e;
        }
    }

    /** Every part of an upload, paging through S3; stops once parts past {@code lastPart} would follow. */
    public List<Part> allParts(String key, String uploadId, int lastPart) {
        List<Part> all = new ArrayList<>();
        int marker = 0;
        while (marker < lastPart) {
            List<Part> page = partsPage(key, uploadId, marker, S3Limits.MAX_LIST_PAGE);
            if (page.isEmpty()) {
                break;
            }
            all.addAll(page);
            marker = page.getLast().partNumber();
        }
        return all;
    }

    public CompleteMultipartUploadResponse complete(String key, String uploadId, List<CompletedPart> parts, String crc32c) {
        return s3.completeMultipartUpload(b -> b.bucket(name).key(key).uploadId(uploadId)
                .multipartUpload(m -> m.parts(parts))
                .checksumType(ChecksumType.FULL_OBJECT)
                .checksumCRC32C(crc32c)
                // Never replace an object that appeared meanwhile: S3 answers 412 instead.
                .ifNoneMatch("*"));
    }

    public void abort(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(name).key(key).uploadId(uploadId));
        } catch (NoSuchUploadException e) {
            // Already gone: aborting is idempotent.
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw e;
            }
        }
    }

    public ListMultipartUploadsResponse uploadsPage(String prefix, String keyMarker, String uploadIdMarker, int max) {
        return s3.listMultipartUploads(b -> b.bucket(name).prefix(prefix)
                .keyMarker(keyMarker).uploadIdMarker(uploadIdMarker).maxUploads(max).encodingType(EncodingType.URL));
    }

    public ListObjectsV2Response objectsPage(String prefix, String startAfter, String delimiter, int max) {
        return s3.listObjectsV2(b -> b.bucket(name).prefix(prefix).startAfter(startAfter)
                .delimiter(delimiter).maxKeys(max).encodingType(EncodingType.URL));
    }
}
