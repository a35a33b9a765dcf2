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
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CopyPartResult;
import software.amazon.awssdk.services.s3.model.EncodingType;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListMultipartUploadsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.OptionalObjectAttributes;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Tier;

/**
 * The control calls the backend makes on its one bucket. No method reads or writes file bytes: the
 * only objects it writes or reads itself are its own small control records (a share's marker).
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
    // Set once a server answered 501 to OptionalObjectAttributes: listings then ask without it.
    private volatile boolean restoreStatusUnlisted;

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
     * walks every file below the folder on each call). And it asks only for the names that begin as
     * both {@code first} and {@code last} do, as every key between them does: a batch of ten of a
     * folder's thousand files then lists about ten names, not the thousand from {@code first} on.
     */
    public KeyRange keysBetween(String prefix, String first, String last, int maxPages) {
        String startAfter = first.substring(0, first.offsetByCodePoints(first.length(), -1));
        if (!first.startsWith(prefix) || !last.startsWith(prefix)) {
            throw new IllegalArgumentException("keys outside the folder listed");
        }
        String between = prefix + commonStart(first.substring(prefix.length()), last.substring(prefix.length()));
        Set<String> keys = new HashSet<>();
        for (int page = 0; page < maxPages; page++) {
            ListObjectsV2Response response = objectsPage(between, startAfter, "/", S3Limits.MAX_LIST_PAGE);
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

    // Whole code points, so a character outside the BMP is never cut in two.
    private static String commonStart(String a, String b) {
        int i = 0;
        while (i < a.length() && i < b.length() && a.codePointAt(i) == b.codePointAt(i)) {
            i += Character.charCount(a.codePointAt(i));
        }
        return a.substring(0, i);
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

    /**
     * A page as {@link #objectsPage}, with each archived object's {@code <RestoreStatus>}
     * ({@code OptionalObjectAttributes=RestoreStatus}). A storage server that does not implement it (501)
     * is asked without it from then on: its archived objects then list as archived, restored or not.
     */
    public ListObjectsV2Response objectsPageWithRestoreStatus(String prefix, String startAfter, String delimiter, int max) {
        if (!restoreStatusUnlisted) {
            try {
                return s3.listObjectsV2(b -> b.bucket(name).prefix(prefix).startAfter(startAfter)
                        .delimiter(delimiter).maxKeys(max).encodingType(EncodingType.URL)
                        .optionalObjectAttributes(OptionalObjectAttributes.RESTORE_STATUS));
            } catch (S3Exception e) {
                if (e.statusCode() != 501) {
                    throw e;
                }
                restoreStatusUnlisted = true;
            }
        }
        return objectsPage(prefix, startAfter, delimiter, max);
    }

    /** Removes the current version of {@code key}; in a versioned bucket that leaves a delete marker. */
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(name).key(key));
    }

    /**
     * Removes {@code key} only while its ETag is {@code etag} (S3's conditional delete, {@code If-Match}).
     *
     * @return false when another object is there now (412) and nothing was removed; true when nothing is
     *         left under the key, removed here or gone already
     */
    public boolean deleteIfUnchanged(String key, String etag) {
        try {
            s3.deleteObject(b -> b.bucket(name).key(key).ifMatch(etag));
            return true;
        } catch (NoSuchKeyException e) {
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return true;
            }
            if (e.statusCode() == 412) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Deletes up to 1,000 keys in one DeleteObjects call in quiet mode: S3 answers only the keys it could
     * not delete. A key with no object counts as deleted, as S3 counts it.
     *
     * @return the keys' failures, as S3 names them
     */
    public List<S3Error> deleteAll(List<String> keys) {
        List<ObjectIdentifier> objects = keys.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList();
        return s3.deleteObjects(b -> b.bucket(name).delete(d -> d.quiet(true).objects(objects))).errors();
    }

    /**
     * Copies {@code from} (only while its ETag is {@code etag}) to {@code to} (only while nothing is there,
     * where storage honours {@code If-None-Match} on a copy) in one CopyObject, with a new CRC32C computed
     * by S3, keeping the source's storage class and metadata. S3 copies up to 5 GiB this way.
     */
    public CopyObjectResponse copy(String from, String to, String etag, String storageClass) {
        return s3.copyObject(b -> b.sourceBucket(name).sourceKey(from).destinationBucket(name).destinationKey(to)
                .copySourceIfMatch(etag).ifNoneMatch("*").checksumAlgorithm(ChecksumAlgorithm.CRC32_C)
                .storageClass(storageClass));
    }

    /** Starts the multipart upload a copy of more than 5 GiB goes through, with a full-object CRC32C. */
    public String createCopyUpload(String to, String contentType, java.util.Map<String, String> metadata, String storageClass) {
        return s3.createMultipartUpload(b -> b.bucket(name).key(to).contentType(contentType).metadata(metadata).storageClass(storageClass)
                .checksumAlgorithm(ChecksumAlgorithm.CRC32_C).checksumType(ChecksumType.FULL_OBJECT)).uploadId();
    }

    /**
     * Copies bytes {@code first}..{@code last} (inclusive) of {@code from}, only while its ETag is {@code etag},
     * as part {@code partNumber} of the upload.
     */
    public CopyPartResult copyPart(String from, String to, String uploadId, int partNumber, long first, long last, String etag) {
        return s3.uploadPartCopy(b -> b.sourceBucket(name).sourceKey(from).destinationBucket(name).destinationKey(to)
                .uploadId(uploadId).partNumber(partNumber).copySourceRange("bytes=" + first + "-" + last)
                .copySourceIfMatch(etag)).copyPartResult();
    }

    /**
     * Asks S3 to restore an archived object.
     *
     * @param days how long the restored copy stays; null for an Intelligent-Tiering object, which S3 moves
     *             back to its frequent tier instead and refuses a number of days for
     * @return S3's status: 202 for a restore begun, 200 for an object already restored (its copy's expiry is
     *         set anew from now)
     */
    public int restore(String key, Integer days, Tier tier) {
        return s3.restoreObject(b -> b.bucket(name).key(key)
                .restoreRequest(r -> r.days(days).glacierJobParameters(g -> g.tier(tier)))).sdkHttpResponse().statusCode();
    }

    /** Writes one of the backend's own small control records (never a user's file), as JSON. */
    public void putRecord(String key, byte[] json) {
        s3.putObject(b -> b.bucket(name).key(key).contentType("application/json").contentLength((long) json.length),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(json));
    }

    /** One of the backend's own control records, or empty when there is none. */
    public Optional<byte[]> readRecord(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(name).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
