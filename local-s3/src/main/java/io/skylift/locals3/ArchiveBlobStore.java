package io.skylift.locals3;

import java.io.IOException;
import java.io.InputStream;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Holds GLACIER and DEEP_ARCHIVE objects back until their restore completed, as S3 does: S3Proxy
 * keeps a PUT's storage class but serves every object. A GET (also a ranged one), a CopyObject and an
 * UploadPartCopy of such an object fail with {@link ArchivedObjectException}, which
 * {@link ArchiveEmulation} answers as S3's {@code InvalidObjectState}. HEAD still answers.
 *
 * <p>The check is made here, in the store, because S3Proxy calls its store only once it has
 * authenticated the request: a badly signed GET of an archived object is refused for its signature,
 * as on S3. A write or removal of a key forgets its restore, so a replaced object is archived afresh.
 */
final class ArchiveBlobStore extends ForwardingBlobStore {

    /** An archived object was to be read or copied before its restore completed. */
    static final class ArchivedObjectException extends RuntimeException {
        private final String storageClass;

        ArchivedObjectException(String storageClass) {
            super("The object is archived (" + storageClass + ") and not restored", null, false, false);
            this.storageClass = storageClass;
        }

        String storageClass() {
            return storageClass;
        }
    }

    private final Archive archive;

    ArchiveBlobStore(BlobStore delegate, Archive archive) {
        super(delegate);
        this.archive = archive;
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        ResponseInputStream<GetObjectResponse> blob = super.getBlob(request);
        GetObjectResponse stored = blob.response();
        String storageClass = stored.storageClassAsString();
        if (Archive.archived(storageClass) && !archive.readable(request.bucket(), request.key(), stored.eTag())) {
            try {
                blob.close();
            } catch (IOException alreadyRefusing) {
                // The refusal is what the client must hear.
            }
            throw new ArchivedObjectException(storageClass);
        }
        return blob;
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        HeadObjectResponse source = super.blobMetadataIfPresent(request.sourceBucket(), request.sourceKey());
        if (source != null && Archive.archived(source.storageClassAsString())
                && !archive.readable(request.sourceBucket(), request.sourceKey(), source.eTag())) {
            throw new ArchivedObjectException(source.storageClassAsString());
        }
        CopyObjectResponse copied = super.copyBlob(request);
        archive.forget(request.destinationBucket(), request.destinationKey());
        return copied;
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream body) {
        PutObjectResponse stored = super.putBlob(request, body);
        archive.forget(request.bucket(), request.key());
        return stored;
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload, CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse completed = super.completeMultipartUpload(upload, request);
        archive.forget(upload.containerName(), upload.blobName());
        return completed;
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        DeleteObjectResponse removed = super.removeBlob(request);
        archive.forget(request.bucket(), request.key());
        return removed;
    }
}
