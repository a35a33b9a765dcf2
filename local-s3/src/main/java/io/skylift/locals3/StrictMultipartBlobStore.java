package io.skylift.locals3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.gaul.s3proxy.nio2blob.AbstractNio2BlobStore;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Makes S3Proxy's multipart handling answer as S3 does where S3Proxy is lenient: a part upload or
 * part listing on an upload that was aborted or completed fails with {@code NoSuchUpload}. (The order
 * of a complete's parts is checked by {@link S3WireConformance}: S3Proxy sorts them before this store
 * sees them.)
 *
 * <p>Without this the sandbox would hide client bugs that S3 exposes (a part sent after an abort
 * would seem to succeed). And a PUT that breaks off leaves nothing behind, as on S3.
 *
 * <p>It also remembers which checksum algorithm and type each upload was created with, which S3Proxy's
 * store does not tell, and the CRC32C of each part of a CRC32C upload, which S3Proxy keeps nowhere: S3
 * answers a part's checksum to its part copy and in every part listing, and a complete of such an upload
 * must name it for each part ({@link S3WireConformance} writes them into the answers).
 */
final class StrictMultipartBlobStore extends ForwardingBlobStore {

    // Upload id -> still open. Bounded: the oldest answers are forgotten and, if asked again, re-read.
    private static final int REMEMBERED_UPLOADS = 10_000;
    private final Map<String, Boolean> openByUploadId = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_UPLOADS;
        }
    };

    /** The checksum an upload was created with: its algorithm (CRC32C, ...) and type (COMPOSITE or FULL_OBJECT). */
    record UploadChecksum(String algorithm, String type) {}

    // Upload id -> the checksum it was created with, for the uploads created with one; bounded alike.
    private final Map<String, UploadChecksum> checksumByUploadId = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, UploadChecksum> eldest) {
            return size() > REMEMBERED_UPLOADS;
        }
    };

    private record PartKey(String uploadId, int partNumber) {}

    private record PartCrc32c(String etag, String crc32c) {}

    // A part's CRC32C, valid while the part still has that ETag (a part sent again replaces it). Bounded:
    // ten uploads of 10,000 parts; a part forgotten is read again when asked for, at the cost of its bytes.
    private static final int REMEMBERED_PARTS = 100_000;
    private final Map<PartKey, PartCrc32c> crc32cByPart = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PartKey, PartCrc32c> eldest) {
            return size() > REMEMBERED_PARTS;
        }
    };

    // What S3Proxy's filesystem store names the file a PUT is written to before it is renamed into place.
    private static final java.util.regex.Pattern TEMPORARY_SUFFIX =
            java.util.regex.Pattern.compile("-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private static final java.util.regex.Pattern TEMPORARY = java.util.regex.Pattern.compile(".+" + TEMPORARY_SUFFIX.pattern());

    private final Faults faults;

    StrictMultipartBlobStore(BlobStore delegate, Faults faults) {
        super(delegate);
        this.faults = faults;
    }

    // A PUT whose body breaks off (a reset connection) leaves S3Proxy's temporary file behind, and
    // it lists as an object "<key>-<uuid>". S3 stores nothing for such a PUT, so neither does this.
    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream body) {
        try {
            return super.putBlob(request, body);
        } catch (Throwable e) { // the broken body's IOException comes through undeclared
            removeTemporaryCopies(request.bucket(), request.key());
            throw e;
        }
    }

    // While a PUT is written, and after one broke off, S3Proxy's temporary file lists as an object;
    // S3 lists an object only once it is stored. (A real key ending in "-" and a UUID would be
    // hidden too: no Skylift test or sandbox user makes one.)
    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        ListObjectsV2Response listed = super.list(request);
        List<S3Object> kept = listed.contents().stream().filter(o -> !TEMPORARY.matcher(o.key()).matches()).toList();
        if (kept.size() == listed.contents().size()) {
            return listed;
        }
        Integer count = listed.keyCount() == null ? null : listed.keyCount() - (listed.contents().size() - kept.size());
        return listed.toBuilder().contents(kept).keyCount(count).build();
    }

    private void removeTemporaryCopies(String bucket, String key) {
        try {
            var listed = super.list(ListObjectsV2Request.builder().bucket(bucket).prefix(key + "-").maxKeys(100).build());
            for (var object : listed.contents()) {
                if (TEMPORARY_SUFFIX.matcher(object.key().substring(key.length())).matches()) {
                    super.removeBlob(bucket, object.key());
                }
            }
        } catch (RuntimeException cleanupFailed) {
            // The PUT's own failure is what the client must hear.
        }
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request, InputStream body) {
        requireOpen(upload);
        return super.uploadMultipartPart(upload, request, body);
    }

    @Override
    public List<Part> listMultipartUpload(MultipartUpload upload) {
        requireOpen(upload);
        return super.listMultipartUpload(upload);
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(
            MultipartUpload upload, CompleteMultipartUploadRequest request) {
        requireOpen(upload);
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
        remember(upload.id(), faults.takeListedOpenAfterComplete(upload.blobName()));
        return response;
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        MultipartUpload upload = super.initiateMultipartUpload(request);
        remember(upload.id(), true);
        if (request.checksumAlgorithm() != null) {
            // S3's type when none is asked for: COMPOSITE for the algorithms that have both.
            String type = request.checksumType() != null ? request.checksumTypeAsString() : "COMPOSITE";
            synchronized (checksumByUploadId) {
                checksumByUploadId.put(upload.id(), new UploadChecksum(request.checksumAlgorithmAsString(), type));
            }
        }
        return upload;
    }

    /** The checksum the upload was created with, or null when none or not known (created before a restart). */
    UploadChecksum uploadChecksum(String uploadId) {
        synchronized (checksumByUploadId) {
            return checksumByUploadId.get(uploadId);
        }
    }

    /** Remembers the CRC32C of a part that has {@code etag}, as verified or computed when it was stored. */
    void rememberPartCrc32c(String uploadId, int partNumber, String etag, String crc32c) {
        synchronized (crc32cByPart) {
            crc32cByPart.put(new PartKey(uploadId, partNumber), new PartCrc32c(bareEtag(etag), crc32c));
        }
    }

    /**
     * The CRC32C of the part stored as {@code partNumber} of the upload, which has {@code etag}: as remembered
     * for that ETag, or else computed from the part's stored bytes (and remembered).
     *
     * @throws UncheckedIOException when the part cannot be read (aborted meanwhile)
     */
    String partCrc32c(String bucket, String key, String uploadId, int partNumber, String etag) {
        PartKey part = new PartKey(uploadId, partNumber);
        PartCrc32c known;
        synchronized (crc32cByPart) {
            known = crc32cByPart.get(part);
        }
        if (known != null && known.etag().equals(bareEtag(etag))) {
            return known.crc32c();
        }
        String crc32c;
        try (InputStream stored = super.getBlob(bucket, AbstractNio2BlobStore.multipartPartName(uploadId, key, partNumber))) {
            crc32c = StrictCopyBlobStore.crc32c(stored);
        } catch (IOException e) {
            throw new UncheckedIOException("Part " + partNumber + " could not be read for its checksum", e);
        }
        rememberPartCrc32c(uploadId, partNumber, etag, crc32c);
        return crc32c;
    }

    private static String bareEtag(String etag) {
        String bare = etag.replace("&quot;", "\"");
        return bare.length() >= 2 && bare.startsWith("\"") && bare.endsWith("\"") ? bare.substring(1, bare.length() - 1) : bare;
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
        super.abortMultipartUpload(upload);
        remember(upload.id(), false);
    }

    // Listing uploads reads every stored part, so each answer is remembered: without this, a
    // 10,000-part upload would cost 10,000 full listings.
    private void requireOpen(MultipartUpload upload) {
        Boolean known;
        synchronized (openByUploadId) {
            known = openByUploadId.get(upload.id());
        }
        if (known == null) {
            known = delegate().listMultipartUploads(upload.containerName()).stream()
                    .anyMatch(u -> u.uploadId().equals(upload.id()) && u.key().equals(upload.blobName()));
            remember(upload.id(), known);
        }
        if (!known) {
            throw new S3ProxyException(S3ErrorCode.NO_SUCH_UPLOAD);
        }
    }

    private void remember(String uploadId, boolean open) {
        synchronized (openByUploadId) {
            openByUploadId.put(uploadId, open);
        }
    }
}
