package io.skylift.locals3;

import java.io.InputStream;
import java.util.List;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Makes S3Proxy's multipart handling answer as S3 does where S3Proxy is lenient: a part upload or
 * part listing on an upload that was aborted or completed fails with {@code NoSuchUpload}, and a
 * complete whose parts are not in ascending order fails with {@code InvalidPartOrder}.
 *
 * <p>Without this the sandbox would hide client bugs that S3 exposes (a part sent after an abort
 * would seem to succeed).
 */
final class StrictMultipartBlobStore extends ForwardingBlobStore {

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
        List<CompletedPart> parts = request.multipartUpload() == null ? List.of() : request.multipartUpload().parts();
        for (int i = 1; i < parts.size(); i++) {
            if (parts.get(i).partNumber() <= parts.get(i - 1).partNumber()) {
                throw new S3ProxyException(S3ErrorCode.INVALID_PART_ORDER);
            }
        }
        return super.completeMultipartUpload(upload, request);
    }

    private void requireOpen(MultipartUpload upload) {
        boolean open = delegate().listMultipartUploads(upload.containerName()).stream()
                .anyMatch(u -> u.uploadId().equals(upload.id()) && u.key().equals(upload.blobName()));
        if (!open) {
            throw new S3ProxyException(S3ErrorCode.NO_SUCH_UPLOAD);
        }
    }
}
