package io.skylift.locals3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.checksum.FlexChecksum;
import org.gaul.s3proxy.checksum.MpuChecksums;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;

/**
 * Makes S3Proxy's CopyObject keep S3's promises where it does not:
 *
 * <ul>
 *   <li><b>{@code If-None-Match: *}</b> refuses the copy with 412 when the destination exists. S3Proxy
 *   ignores the header on a copy and overwrites. (The check and the copy are two steps here; S3 makes
 *   them one and answers a race with 409.)</li>
 *   <li><b>{@code x-amz-checksum-algorithm: CRC32C}</b> gives the copy a whole-object CRC32C, computed
 *   from its bytes when the source has none (or only a multipart one). S3Proxy ignores the header.</li>
 *   <li><b>A copy keeps the source's checksum</b> also when it replaces the metadata; S3Proxy drops
 *   the checksum with the metadata.</li>
 * </ul>
 *
 * <p>The copy's checksum is then answered in {@code CopyObjectResult} by {@link S3WireConformance}.
 */
final class StrictCopyBlobStore extends ForwardingBlobStore {

    /** A stored checksum as S3 names it in an answer: {@code ChecksumCRC32C}, its value, FULL_OBJECT or COMPOSITE. */
    record Checksum(String element, String value, String type) {}

    StrictCopyBlobStore(BlobStore delegate) {
        super(delegate);
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        if (ServedRequest.header("If-None-Match").filter("*"::equals).isPresent()
                && super.blobMetadataIfPresent(request.destinationBucket(), request.destinationKey()) != null) {
            throw new S3ProxyException(S3ErrorCode.PRECONDITION_FAILED);
        }
        boolean replace = request.metadataDirective() == MetadataDirective.REPLACE;
        boolean crc32cAsked = ServedRequest.header("x-amz-checksum-algorithm").filter("CRC32C"::equalsIgnoreCase).isPresent();
        if (!replace && !crc32cAsked) {
            return super.copyBlob(request);
        }
        HeadObjectResponse source = super.blobMetadata(request.sourceBucket(), request.sourceKey());
        Map<String, String> checksums = checksumEntries(source.metadata());
        if (crc32cAsked && !wholeObjectCrc32c(checksums)) {
            checksums = Map.of(FlexChecksum.CRC32C.metadataKey(), crc32cOf(request.sourceBucket(), request.sourceKey()));
        }
        // S3Proxy's store keeps a checksum as metadata, so the copy is made with its metadata stated.
        Map<String, String> metadata = new HashMap<>(replace ? request.metadata() : source.metadata());
        metadata.keySet().removeIf(StrictCopyBlobStore::namesChecksum);
        metadata.putAll(checksums);
        CopyObjectRequest.Builder copy = request.toBuilder().metadataDirective(MetadataDirective.REPLACE).metadata(metadata);
        if (!replace) {
            copy.contentType(source.contentType()).cacheControl(source.cacheControl()).contentDisposition(source.contentDisposition())
                    .contentEncoding(source.contentEncoding()).contentLanguage(source.contentLanguage());
        }
        if (request.copySourceIfMatch() == null) {
            // The checksum was computed from these bytes: a source replaced meanwhile is not copied under it.
            copy.copySourceIfMatch(source.eTag());
        }
        return super.copyBlob(copy.build());
    }

    /** The checksum S3Proxy's store keeps for an object, as S3 would answer it. */
    static Optional<Checksum> storedChecksum(HeadObjectResponse stored) {
        for (Map.Entry<String, String> entry : stored.metadata().entrySet()) {
            FlexChecksum algorithm = namesChecksum(entry.getKey()) ? FlexChecksum.fromMetadataKey(entry.getKey()) : null;
            if (algorithm != null) {
                return Optional.of(new Checksum(algorithm.element(), entry.getValue(), MpuChecksums.checksumType(entry.getValue())));
            }
        }
        return Optional.empty();
    }

    private static boolean namesChecksum(String metadataKey) {
        return metadataKey.regionMatches(true, 0, FlexChecksum.METADATA_PREFIX, 0, FlexChecksum.METADATA_PREFIX.length());
    }

    private static Map<String, String> checksumEntries(Map<String, String> metadata) {
        Map<String, String> entries = new HashMap<>();
        metadata.forEach((key, value) -> {
            if (namesChecksum(key)) {
                entries.put(key, value);
            }
        });
        return entries;
    }

    private static boolean wholeObjectCrc32c(Map<String, String> checksums) {
        String value = checksums.get(FlexChecksum.CRC32C.metadataKey());
        return value != null && "FULL_OBJECT".equals(MpuChecksums.checksumType(value));
    }

    private String crc32cOf(String bucket, String key) {
        try (InputStream bytes = super.getBlob(bucket, key)) {
            return crc32c(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("The copy source could not be read for its checksum", e);
        }
    }

    /** The CRC32C of the bytes, base64 as S3 writes it. */
    static String crc32c(InputStream bytes) throws IOException {
        CRC32C crc = new CRC32C();
        byte[] buffer = new byte[64 * 1024];
        for (int read = bytes.read(buffer); read >= 0; read = bytes.read(buffer)) {
            crc.update(buffer, 0, read);
        }
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
