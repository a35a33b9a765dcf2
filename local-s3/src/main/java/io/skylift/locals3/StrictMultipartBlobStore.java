package io.skylift.locals3;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Makes S3Proxy's multipart handling answer as S3 does where S3Proxy is lenient: a part upload or
 * part listing on an upload that was aborted or completed fails with {@code NoSuchUpload}. (The order
 * of a complete's parts is checked by {@link S3WireConformance}: S3Proxy sorts them before this store
 * sees them.)
 *
 * <p>Without this the sandbox would hide client bugs that S3 exposes (a part sent after an abort
 * would seem to succeed).
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

    StrictMultipartBlobStore(BlobStore delegate) {
        super(delegate);
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
        remember(upload.id(), false);
        return response;
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        MultipartUpload upload = super.initiateMultipartUpload(request);
        remember(upload.id(), true);
        return upload;
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
