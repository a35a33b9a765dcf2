package io.skylift.locals3;

import io.skylift.locals3.ArchiveBlobStore.ArchivedObjectException;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.gaul.s3proxy.auth.AwsSignature;
import org.gaul.s3proxy.auth.S3AuthorizationHeader;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Answers the requests about archived objects as S3 does, where S3Proxy cannot (see {@link Archive}):
 *
 * <ul>
 *   <li><b>RestoreObject</b> ({@code POST /bucket/key?restore} with S3's {@code RestoreRequest} XML):
 *   202 the first time, 409 {@code RestoreAlreadyInProgress} while it runs, 200 once restored (the days
 *   counted again); 403 {@code InvalidObjectState} for an object that is not archived, 404
 *   {@code NoSuchKey} for none. S3Proxy refuses the {@code restore} parameter before it authenticates,
 *   so the signature is checked here, with S3Proxy's own SigV4 code (Authorization header only).</li>
 *   <li><b>HEAD and GET</b> of an archived object answer {@code x-amz-restore} once a restore was asked
 *   for: {@code ongoing-request="true"}, then {@code ongoing-request="false", expiry-date="<RFC 1123>"}.</li>
 *   <li><b>A GET or copy refused by {@link ArchiveBlobStore}</b> is answered 403 {@code InvalidObjectState}
 *   with the object's {@code StorageClass}, as S3's error is.</li>
 *   <li><b>ListObjects(V2) with {@code x-amz-optional-object-attributes: RestoreStatus}</b> answers
 *   {@code <RestoreStatus>} for each archived object a restore was asked for; S3Proxy refuses the header
 *   ({@link S3WireConformance} lets it through).</li>
 * </ul>
 */
final class ArchiveEmulation implements Filter {

    /** S3's RestoreRequest is a few hundred bytes; a select request with its expression stays far below. */
    static final int MAX_RESTORE_REQUEST_BYTES = 64 * 1024;

    static final String RESTORE_HEADER = "x-amz-restore";

    private static final Set<String> TIERS = Set.of("Standard", "Bulk", "Expedited");

    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter XML_DATE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.US).withZone(ZoneOffset.UTC);

    private static final String MALFORMED_XML = "The XML you provided was not well-formed or did not validate against our published schema";

    private final Archive archive;
    private final BlobStore store;
    private final String accessKey;
    private final String secretKey;

    ArchiveEmulation(Archive archive, BlobStore store, String accessKey, String secretKey) {
        this.archive = archive;
        this.store = store;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        var http = (HttpServletRequest) request;
        var answer = (HttpServletResponse) response;
        ObjectPath object = ObjectPath.of(http);
        String bucket = object == null ? ObjectPath.bucketOf(http) : null;
        try {
            if (object != null && http.getMethod().equals("POST") && S3WireConformance.queryParameter(http, "restore") != null) {
                restore(http, answer, object);
            } else if (bucket != null && http.getMethod().equals("GET") && asksRestoreStatus(http)) {
                var listing = new FramedResponse(answer);
                chain.doFilter(request, listing);
                listing.send(xml -> withRestoreStatus(bucket, xml));
            } else if (object != null && isObjectRead(http)) {
                chain.doFilter(request, new RestoreHeader(answer, object));
            } else {
                chain.doFilter(request, response);
            }
        } catch (ArchivedObjectException archived) {
            boolean copy = http.getHeader("x-amz-copy-source") != null;
            S3WireConformance.refuse(answer, 403, "InvalidObjectState",
                    copy ? "Operation is not valid for the source object's storage class" : "The operation is not valid for the object's storage class",
                    Map.of("StorageClass", archived.storageClass()));
        }
    }

    private void restore(HttpServletRequest request, HttpServletResponse response, ObjectPath object) throws IOException {
        byte[] body = request.getInputStream().readNBytes(MAX_RESTORE_REQUEST_BYTES + 1);
        if (body.length > MAX_RESTORE_REQUEST_BYTES) {
            S3WireConformance.refuse(response, 400, "MaxMessageLengthExceeded", "Your request was too big.");
            return;
        }
        if (!authenticated(request, response, body)) {
            return;
        }
        HeadObjectResponse stored = store.blobMetadataIfPresent(object.bucket(), object.key());
        if (stored == null) {
            S3WireConformance.refuse(response, 404, "NoSuchKey", "The specified key does not exist.");
            return;
        }
        String storageClass = stored.storageClassAsString();
        if (!Archive.archived(storageClass)) {
            S3WireConformance.refuse(response, 403, "InvalidObjectState", "Restore is not allowed for the object's current storage class");
            return;
        }
        Document restoreRequest = parse(new String(body, StandardCharsets.UTF_8));
        Integer days = restoreRequest == null ? null : integer(text(restoreRequest.getDocumentElement(), "Days"));
        String tier = restoreRequest == null ? null : text(restoreRequest.getDocumentElement(), "Tier");
        if (days == null || days < 1 || tier != null && !TIERS.contains(tier)) {
            S3WireConformance.refuse(response, 400, "MalformedXML", MALFORMED_XML);
            return;
        }
        if ("Expedited".equals(tier) && storageClass.equals("DEEP_ARCHIVE")) {
            S3WireConformance.refuse(response, 400, "InvalidArgument", "Expedited retrieval is not supported for the DEEP_ARCHIVE storage class");
            return;
        }
        switch (archive.restore(object.bucket(), object.key(), stored.eTag(), days)) {
            case STARTED -> answerEmpty(response, 202);
            case EXTENDED -> answerEmpty(response, 200);
            case RUNNING -> S3WireConformance.refuse(response, 409, "RestoreAlreadyInProgress", "Object restore is already in progress");
        }
    }

    // As S3Proxy checks a SigV4 Authorization header (the form S3 clients sign RestoreObject with),
    // with its own code; the time skew is not checked.
    private boolean authenticated(HttpServletRequest request, HttpServletResponse response, byte[] body) throws IOException {
        String authorization = request.getHeader("Authorization");
        S3AuthorizationHeader header;
        try {
            header = authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ") ? null : new S3AuthorizationHeader(authorization);
        } catch (IllegalArgumentException malformed) {
            header = null;
        }
        if (header == null) {
            S3WireConformance.refuse(response, 403, "AccessDenied", "Access Denied");
            return false;
        }
        if (!accessKey.equals(header.getIdentity())) {
            S3WireConformance.refuse(response, 403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.");
            return false;
        }
        String contentSha256 = request.getHeader("x-amz-content-sha256");
        try {
            String bodySha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
            if (!"UNSIGNED-PAYLOAD".equals(contentSha256) && !bodySha256.equals(contentSha256)) {
                S3WireConformance.refuse(response, 400, "XAmzContentSHA256Mismatch",
                        "The provided 'x-amz-content-sha256' header does not match what was computed.");
                return false;
            }
            String expected = AwsSignature.createAuthorizationSignatureV4(request, header, body, request.getRequestURI(), secretKey,
                    false, null, "UNSIGNED-PAYLOAD".equals(contentSha256) ? null : bodySha256).signature();
            if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), header.getSignature().getBytes(StandardCharsets.US_ASCII))) {
                S3WireConformance.refuse(response, 403, "SignatureDoesNotMatch",
                        "The request signature we calculated does not match the signature you provided. Check your key and signing method.");
                return false;
            }
            return true;
        } catch (GeneralSecurityException e) {
            throw new IOException("SigV4 could not be computed here: " + e.getClass().getSimpleName(), e);
        }
    }

    private static void answerEmpty(HttpServletResponse response, int status) {
        response.setStatus(status);
        response.setContentLength(0);
    }

    private static boolean asksRestoreStatus(HttpServletRequest request) {
        String attributes = request.getHeader("x-amz-optional-object-attributes");
        return attributes != null && Set.of(attributes.split("\\s*,\\s*")).contains("RestoreStatus");
    }

    // GetObject and HeadObject; a GET with an upload id lists an upload's parts.
    private static boolean isObjectRead(HttpServletRequest request) {
        return (request.getMethod().equals("GET") || request.getMethod().equals("HEAD")) && !S3WireConformance.namesUpload(request);
    }

    private String withRestoreStatus(String bucket, String listing) {
        Document document = parse(listing);
        if (document == null) {
            return listing;
        }
        boolean urlEncoded = "url".equals(text(document.getDocumentElement(), "EncodingType"));
        NodeList contents = document.getElementsByTagName("Contents");
        boolean changed = false;
        for (int i = 0; i < contents.getLength(); i++) {
            var entry = (Element) contents.item(i);
            String key = text(entry, "Key");
            if (key == null || !Archive.archived(text(entry, "StorageClass"))) {
                continue;
            }
            String name = urlEncoded ? URLDecoder.decode(key, StandardCharsets.UTF_8) : key;
            var state = archive.state(bucket, name, text(entry, "ETag"));
            if (state.isEmpty()) {
                continue;
            }
            Element status = document.createElement("RestoreStatus");
            append(status, "IsRestoreInProgress", String.valueOf(state.get().ongoing()));
            if (!state.get().ongoing()) {
                append(status, "RestoreExpiryDate", XML_DATE.format(state.get().expiry()));
            }
            entry.appendChild(status);
            changed = true;
        }
        return changed ? serialize(document, listing) : listing;
    }

    private static void append(Element parent, String name, String text) {
        Element child = parent.getOwnerDocument().createElement(name);
        child.setTextContent(text);
        parent.appendChild(child);
    }

    /** The text of the first element of this name below {@code parent}, or null. */
    private static String text(Element parent, String name) {
        NodeList found = parent.getElementsByTagName(name);
        return found.getLength() == 0 ? null : found.item(0).getTextContent().strip();
    }

    private static Integer integer(String text) {
        try {
            return text == null ? null : Integer.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The XML as a document, or null when it is not well-formed (or declares a DTD, which S3 refuses too). */
    private static Document parse(String xml) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler()); // refuses, silently, what is not well-formed
            return builder.parse(new InputSource(new StringReader(xml)));
        } catch (ParserConfigurationException | SAXException | IOException notXml) {
            return null;
        }
    }

    private static String serialize(Document document, String original) {
        try {
            var factory = TransformerFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            StringWriter text = new StringWriter(original.length() + 256);
            factory.newTransformer().transform(new DOMSource(document), new StreamResult(text));
            return text.toString();
        } catch (TransformerException e) {
            return original;
        }
    }

    /** Adds {@code x-amz-restore} to a HEAD's or GET's answer once it names an archived object's ETag and class. */
    private final class RestoreHeader extends HttpServletResponseWrapper {
        private final ObjectPath object;
        private String etag;
        private String storageClass;
        private boolean decided;

        RestoreHeader(HttpServletResponse response, ObjectPath object) {
            super(response);
            this.object = object;
        }

        @Override
        public void setHeader(String name, String value) {
            super.setHeader(name, value);
            noted(name, value);
        }

        @Override
        public void addHeader(String name, String value) {
            super.addHeader(name, value);
            noted(name, value);
        }

        private void noted(String name, String value) {
            if (name.equalsIgnoreCase("ETag")) {
                etag = value;
            } else if (name.equalsIgnoreCase("x-amz-storage-class")) {
                storageClass = value;
            }
            if (decided || etag == null || storageClass == null) {
                return;
            }
            decided = true;
            if (Archive.archived(storageClass)) {
                archive.state(object.bucket(), object.key(), etag).ifPresent(state -> super.addHeader(RESTORE_HEADER, state.ongoing()
                        ? "ongoing-request=\"true\""
                        : "ongoing-request=\"false\", expiry-date=\"" + HTTP_DATE.format(state.expiry()) + "\""));
            }
        }
    }
}
