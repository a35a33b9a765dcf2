package io.skylift.locals3;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Makes S3Proxy's HTTP exchange look like S3's where the AWS CRT's S3 client depends on it.
 *
 * <ul>
 *   <li><b>Answers carry a {@code Content-Length}</b>, as S3's always do. S3Proxy streams its XML without
 *   one; when the request carried {@code Expect: 100-continue} and needed no body (CreateMultipartUpload,
 *   most errors), Jetty then ends the answer by closing the connection, which HTTP allows but the CRT's
 *   HTTP client reads as empty ("Upload Id not found in create-multipart-upload response"). Object
 *   bodies are left alone: S3Proxy gives those their length already.</li>
 *   <li><b>Headers S3 accepts and S3Proxy does not know</b> (listed below) no longer make S3Proxy refuse
 *   the request with 501 NotImplemented. They stay readable by name, so signatures over them are still
 *   checked; S3Proxy simply does not act on them (the README lists this).</li>
 *   <li><b>{@code If-Unmodified-Since} compares whole seconds</b>, as S3's Last-Modified has no finer
 *   grain. S3Proxy compares the header's second against the file's millisecond time, so an object is
 *   "modified since" the very Last-Modified it reported; the transfer manager's resumed download then
 *   fails with 412.</li>
 *   <li><b>A complete lists its parts in ascending order</b>, or S3 refuses it with {@code InvalidPartOrder}.
 *   S3Proxy sorts the list before its store sees it, so the check is made here, on the request's XML.</li>
 *   <li><b>A copy's answer names the copy's checksum</b> ({@code ChecksumCRC32C} and {@code ChecksumType}
 *   in {@code CopyObjectResult}), as S3's does; S3Proxy answers only the ETag and the date. A part copy into
 *   an upload created with CRC32C answers the part's {@code ChecksumCRC32C}, which the complete needs.</li>
 *   <li><b>A part listing of an upload created with CRC32C names each part's {@code ChecksumCRC32C}</b>, and
 *   the upload's {@code ChecksumAlgorithm} and {@code ChecksumType}, as S3's does. S3Proxy names none, and
 *   a complete that lists some parts with their checksum (just copied) and some without (listed) is then
 *   refused: a client that completes from the listing, as S3 allows, would fail only here.</li>
 * </ul>
 *
 * <p>It also makes the request visible to the store while S3Proxy serves it ({@link ServedRequest}).
 */
final class S3WireConformance implements Filter {

    /**
     * {@code x-amz-mp-object-size}: the CRT states the object's size when completing a multipart upload.
     * {@code x-amz-optional-object-attributes}: a listing asks for each object's restore status, which
     * {@link ArchiveEmulation} answers.
     */
    static final Set<String> TOLERATED_HEADERS = Set.of("x-amz-mp-object-size", "x-amz-optional-object-attributes");

    /** S3's own bound on a request body it reads as XML; a complete of 10,000 parts stays far below. */
    static final int MAX_COMPLETE_BYTES = 2 * 1024 * 1024;

    private static final Pattern PART_NUMBER = Pattern.compile("<(?:\\w+:)?PartNumber>\\s*(\\d+)\\s*</(?:\\w+:)?PartNumber>");

    private static final String COPY_RESULT_END = "</CopyObjectResult>";

    private static final String LIST_PARTS_END = "</ListPartsResult>";

    private static final Pattern PART = Pattern.compile("<Part>.*?</Part>", Pattern.DOTALL);

    private static final Pattern ETAG = Pattern.compile("<ETag>(.*?)</ETag>", Pattern.DOTALL);

    private final StrictMultipartBlobStore store;

    S3WireConformance(StrictMultipartBlobStore store) {
        this.store = store;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        var framed = new FramedResponse((HttpServletResponse) response);
        HttpServletRequest forwarded = new ToleratedHeaders(http);
        if (isComplete(http)) {
            byte[] body = http.getInputStream().readNBytes(MAX_COMPLETE_BYTES + 1);
            if (body.length > MAX_COMPLETE_BYTES) {
                refuse((HttpServletResponse) response, 400, "MaxMessageLengthExceeded", "Your request was too big.");
                return;
            }
            if (!ascending(new String(body, StandardCharsets.UTF_8))) {
                refuse((HttpServletResponse) response, 400, "InvalidPartOrder",
                        "The list of parts was not in ascending order. Parts must be ordered by part number.");
                return;
            }
            forwarded = new ReplayedBody(forwarded, body);
        }
        HttpServletRequest served = forwarded;
        ServedRequest.serve(served, () -> chain.doFilter(served, framed));
        framed.send(asS3Answers(http, framed));
    }

    // How S3Proxy's answer to a request is made S3's: the checksums it leaves out of copies and part listings.
    private UnaryOperator<String> asS3Answers(HttpServletRequest request, HttpServletResponse answer) {
        ObjectPath target = answer.getStatus() == 200 ? ObjectPath.of(request) : null;
        boolean put = request.getMethod().equals("PUT");
        boolean copy = put && request.getHeader("x-amz-copy-source") != null;
        if (target == null) {
            return UnaryOperator.identity();
        }
        if (!namesUpload(request)) {
            return copy ? xml -> withChecksum(xml, target) : UnaryOperator.identity();
        }
        String uploadId = queryParameter(request, "uploadId");
        StrictMultipartBlobStore.UploadChecksum checksum = uploadId == null ? null : store.uploadChecksum(uploadId);
        if (checksum == null || !checksum.algorithm().equals("CRC32C")) {
            return UnaryOperator.identity();
        }
        if (copy) {
            return xml -> withPartChecksum(xml, target, uploadId, request);
        }
        if (put) {
            rememberUploadedPart(answer, uploadId, request);
        } else if (request.getMethod().equals("GET")) {
            return xml -> withPartChecksums(xml, target, uploadId, checksum);
        }
        return UnaryOperator.identity();
    }

    // UploadPartCopy of an upload created with CRC32C: S3 answers the part's CRC32C, which a complete
    // of such an upload must list. S3Proxy answers none, so it is computed from the part as stored.
    private String withPartChecksum(String copyResult, ObjectPath upload, String uploadId, HttpServletRequest request) {
        int end = copyResult.lastIndexOf(COPY_RESULT_END);
        Matcher etag = ETAG.matcher(copyResult);
        int partNumber = partNumber(request);
        if (end < 0 || !etag.find() || partNumber < 1) {
            return copyResult;
        }
        try {
            String crc32c = store.partCrc32c(upload.bucket(), upload.key(), uploadId, partNumber, etag.group(1));
            return copyResult.substring(0, end) + "<ChecksumCRC32C>" + crc32c + "</ChecksumCRC32C>" + copyResult.substring(end);
        } catch (RuntimeException unreadable) {
            return copyResult; // the part was copied; its answer stays as S3Proxy gave it
        }
    }

    // UploadPart into a CRC32C upload: S3Proxy checked the part's bytes against the CRC32C it echoes, so a
    // listing need not read the part again to name it.
    private void rememberUploadedPart(HttpServletResponse answer, String uploadId, HttpServletRequest request) {
        String crc32c = answer.getHeader("x-amz-checksum-crc32c");
        String etag = answer.getHeader("ETag");
        int partNumber = partNumber(request);
        if (crc32c != null && etag != null && partNumber >= 1) {
            store.rememberPartCrc32c(uploadId, partNumber, etag, crc32c);
        }
    }

    // ListParts of an upload created with CRC32C: S3 names each part's CRC32C and the upload's checksum.
    private String withPartChecksums(String listing, ObjectPath upload, String uploadId, StrictMultipartBlobStore.UploadChecksum checksum) {
        int end = listing.lastIndexOf(LIST_PARTS_END);
        if (end < 0) {
            return listing;
        }
        String parts = PART.matcher(listing.substring(0, end))
                .replaceAll(part -> Matcher.quoteReplacement(withPartCrc32c(part.group(), upload, uploadId)));
        return parts + "<ChecksumAlgorithm>" + checksum.algorithm() + "</ChecksumAlgorithm><ChecksumType>" + checksum.type()
                + "</ChecksumType>" + listing.substring(end);
    }

    private String withPartCrc32c(String part, ObjectPath upload, String uploadId) {
        Matcher number = PART_NUMBER.matcher(part);
        Matcher etag = ETAG.matcher(part);
        if (!number.find() || !etag.find()) {
            return part;
        }
        try {
            String crc32c = store.partCrc32c(upload.bucket(), upload.key(), uploadId, Integer.parseInt(number.group(1)), etag.group(1));
            int close = part.lastIndexOf("</");
            return part.substring(0, close) + "<ChecksumCRC32C>" + crc32c + "</ChecksumCRC32C>" + part.substring(close);
        } catch (RuntimeException unreadable) {
            return part; // aborted while listed: the part is listed as S3Proxy gave it
        }
    }

    private static int partNumber(HttpServletRequest request) {
        String number = queryParameter(request, "partNumber");
        try {
            return number == null ? 0 : Integer.parseInt(number);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private String withChecksum(String copyResult, ObjectPath copy) {
        int end = copyResult.lastIndexOf(COPY_RESULT_END);
        HeadObjectResponse stored = end < 0 ? null : store.blobMetadataIfPresent(copy.bucket(), copy.key());
        return stored == null ? copyResult : StrictCopyBlobStore.storedChecksum(stored)
                .map(sum -> copyResult.substring(0, end) + "<ChecksumType>" + sum.type() + "</ChecksumType><" + sum.element() + ">"
                        + sum.value() + "</" + sum.element() + ">" + copyResult.substring(end))
                .orElse(copyResult);
    }

    // CompleteMultipartUpload: POST /bucket/key?uploadId=..., the one request whose part list S3 checks.
    static boolean isComplete(HttpServletRequest request) {
        return request.getMethod().equals("POST") && namesUpload(request);
    }

    /**
     * A parameter of the query string, "" when it has no value, null when absent. From the query string
     * alone: asking the request for a parameter would read a form-encoded body.
     */
    static String queryParameter(HttpServletRequest request, String name) {
        String query = request.getQueryString();
        for (String parameter : query == null ? new String[0] : query.split("&")) {
            int equals = parameter.indexOf('=');
            if (URLDecoder.decode(equals < 0 ? parameter : parameter.substring(0, equals), StandardCharsets.UTF_8).equals(name)) {
                return equals < 0 ? "" : URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** Whether the request acts on one multipart upload (it carries an {@code uploadId}). */
    static boolean namesUpload(HttpServletRequest request) {
        // From the query string alone: asking for a parameter would read a form-encoded body.
        String query = request.getQueryString();
        return query != null && (query.startsWith("uploadId=") || query.contains("&uploadId="));
    }

    static boolean ascending(String completeXml) {
        Matcher part = PART_NUMBER.matcher(completeXml);
        long previous = 0;
        while (part.find()) {
            long number = Long.parseLong(part.group(1));
            if (number <= previous) {
                return false;
            }
            previous = number;
        }
        return true;
    }

    /** Answers as S3 refuses a request: the status and an XML error with its code and message. */
    static void refuse(HttpServletResponse response, int status, String code, String message) throws IOException {
        refuse(response, status, code, message, Map.of());
    }

    /** Answers as S3 refuses a request, with the error's further elements (values plain text, no markup). */
    static void refuse(HttpServletResponse response, int status, String code, String message, Map<String, String> details)
            throws IOException {
        StringBuilder more = new StringBuilder();
        details.forEach((name, value) -> more.append('<').append(name).append('>').append(value).append("</").append(name).append('>'));
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message>" + more + "</Error>").getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/xml");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** The request with its body, already read for checking, given again to S3Proxy. */
    private static final class ReplayedBody extends HttpServletRequestWrapper {
        private final byte[] body;

        ReplayedBody(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream bytes = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public int read() {
                    return bytes.read();
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    return bytes.read(buffer, offset, length);
                }

                @Override
                public boolean isFinished() {
                    return bytes.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("read synchronously");
                }
            };
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }
    }

    /**
     * Leaves the tolerated headers out of the header names S3Proxy checks against what it supports, and
     * reads {@code If-Unmodified-Since} as the end of its second.
     */
    private static final class ToleratedHeaders extends HttpServletRequestWrapper {
        ToleratedHeaders(HttpServletRequest request) {
            super(request);
        }

        @Override
        public long getDateHeader(String name) {
            long date = super.getDateHeader(name);
            return date >= 0 && name.equalsIgnoreCase("If-Unmodified-Since") ? date + 999 : date;
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            var names = Collections.list(super.getHeaderNames());
            names.removeIf(name -> TOLERATED_HEADERS.contains(name.toLowerCase(Locale.ROOT)));
            return Collections.enumeration(names);
        }
    }
}
