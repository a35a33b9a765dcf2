package io.skylift.backend.route;

import io.skylift.backend.http.ApiRequest;
import io.skylift.backend.http.ApiResponse;
import io.skylift.backend.http.Router;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.keys.KeyRules;
import io.skylift.backend.share.HtmlPage;
import io.skylift.backend.share.PublicShare;
import io.skylift.backend.signing.SealedShare;
import io.skylift.backend.signing.SignedRequest;
import io.skylift.backend.signing.UrlSigner;
import io.skylift.backend.storage.Bucket;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /s/{token}/{path+}}, public: one file of a share, as a redirect to a fresh presigned GET
 * that saves it under its name ({@code Content-Disposition: attachment}). The key is the share's own
 * file, or the shared folder followed by {@code path}, whose segments may not be empty, '.' or '..':
 * the redirect goes only to storage, and only to a file inside the share. Thread-safe.
 */
public final class ShareDownload implements Router.Action {

    private final PublicShare shares;
    private final Bucket bucket;
    private final UrlSigner signer;

    public ShareDownload(PublicShare shares, Bucket bucket, UrlSigner signer) {
        this.shares = shares;
        this.bucket = bucket;
        this.signer = signer;
    }

    @Override
    public ApiResponse handle(ApiRequest request, Identity nobody) {
        return shares.answer(request.pathParam("token"), share -> redirect(share, request.pathParam("path")));
    }

    private ApiResponse redirect(SealedShare share, String encodedPath) {
        String key = keyOf(share, encodedPath);
        var head = bucket.head(key).orElseThrow(PublicShare::noSuchFile);
        CreateDownload.requireDownloadable(key, head);
        // No If-Match: a browser cannot send the header a signed one would need.
        SignedRequest get = signer.getObject(key, null, KeyRules.fileNameOf(key));
        return HtmlPage.redirect(get.url());
    }

    private static String keyOf(SealedShare share, String encodedPath) {
        List<String> segments = new ArrayList<>();
        for (String encoded : encodedPath.split("/", -1)) {
            String segment = decode(encoded);
            // No key holds U+0000 (S3's XML cannot carry it): refused here rather than by storage.
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.indexOf('/') >= 0
                    || segment.indexOf('\0') >= 0) {
                throw PublicShare.noSuchFile();
            }
            segments.add(segment);
        }
        String path = String.join("/", segments);
        if (!share.folder()) {
            if (!path.equals(KeyRules.fileNameOf(share.target()))) {
                throw PublicShare.noSuchFile();
            }
            return share.target();
        }
        String key = share.target() + path;
        if (key.getBytes(StandardCharsets.UTF_8).length > KeyRules.MAX_KEY_BYTES) {
            throw PublicShare.noSuchFile();
        }
        return key;
    }

    // Percent-decoding of a path segment: '+' is itself, and bytes that are not UTF-8 name no file.
    private static String decode(String encoded) {
        ByteBuffer bytes = ByteBuffer.allocate(encoded.length() * 4);
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                if (i + 2 >= encoded.length()) {
                    throw PublicShare.noSuchFile();
                }
                int hi = Character.digit(encoded.charAt(i + 1), 16);
                int lo = Character.digit(encoded.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw PublicShare.noSuchFile();
                }
                bytes.put((byte) (hi * 16 + lo));
                i += 2;
            } else {
                int codePoint = encoded.codePointAt(i);
                bytes.put(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint) - 1;
            }
        }
        bytes.flip();
        try {
            CharBuffer text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(bytes);
            return text.toString();
        } catch (CharacterCodingException e) {
            throw PublicShare.noSuchFile();
        }
    }
}
