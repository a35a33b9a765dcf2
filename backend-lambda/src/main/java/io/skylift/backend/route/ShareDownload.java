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
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * {@code GET /s/{token}/{file}}, public: one file of a share, as a redirect to a fresh presigned GET
 * that saves it under its name ({@code Content-Disposition: attachment}). {@code file} is the file's
 * path below the share in base64url ({@link io.skylift.backend.share.SharePageHtml#fileRef}): the key
 * is the share's own file, or the shared folder followed by that path, whose segments may not be
 * empty, '.' or '..'. The redirect goes only to storage, and only to a file inside the share. Thread-safe.
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
        return shares.answer(request.pathParam("token"), share -> redirect(share, request.pathParam("file")));
    }

    private ApiResponse redirect(SealedShare share, String fileRef) {
        String key = keyOf(share, fileRef);
        var head = bucket.head(key).orElseThrow(PublicShare::noSuchFile);
        CreateDownload.requireDownloadable(key, head);
        // No If-Match: a browser cannot send the header a signed one would need.
        SignedRequest get = signer.getObject(key, null, KeyRules.fileNameOf(key));
        return HtmlPage.redirect(get.url());
    }

    private static String keyOf(SealedShare share, String fileRef) {
        String path = pathOf(fileRef);
        for (String segment : path.split("/", -1)) {
            // No key holds U+0000 (S3's XML cannot carry it): refused here rather than by storage.
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..") || segment.indexOf('\0') >= 0) {
                throw PublicShare.noSuchFile();
            }
        }
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

    // base64url of UTF-8 (SharePageHtml.fileRef), in its one canonical spelling: anything else names no file.
    private static String pathOf(String fileRef) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(fileRef);
            if (!Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).equals(fileRef)) {
                throw PublicShare.noSuchFile();
            }
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (IllegalArgumentException | CharacterCodingException e) {
            throw PublicShare.noSuchFile();
        }
    }
}
