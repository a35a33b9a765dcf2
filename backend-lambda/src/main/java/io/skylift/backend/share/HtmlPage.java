package io.skylift.backend.share;

import io.skylift.backend.http.ApiResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The frame of every public page: one inline style allowed by its hash, no script at all, and headers
 * that keep the page out of search engines, caches, frames and other sites' referrer logs. Every text
 * put into a page goes through {@link #escape}. Stateless; thread-safe.
 */
public final class HtmlPage {

    static final String STYLE = """
            :root{color-scheme:light dark;--fg:#1c2430;--muted:#5b6675;--line:#dfe3e8;--bg:#f6f7f9;--card:#fff;--accent:#1f6feb}\
            @media (prefers-color-scheme:dark){:root{--fg:#e6e9ee;--muted:#9aa4b2;--line:#2c333d;--bg:#14181d;--card:#1b2027;--accent:#4c8dff}}\
            *{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}\
            main{max-width:880px;margin:40px auto;padding:0 20px}.brand{margin:0;color:var(--accent);font-weight:600;letter-spacing:.02em}\
            h1{margin:4px 0 4px;font-size:26px;word-break:break-word}.meta{margin:0 0 20px;color:var(--muted)}\
            table{width:100%;border-collapse:collapse;background:var(--card);border:1px solid var(--line);border-radius:8px;overflow:hidden}\
            th,td{padding:10px 14px;text-align:left;border-bottom:1px solid var(--line)}th{font-size:13px;color:var(--muted);font-weight:600}\
            tr:last-child td{border-bottom:none}td.name{word-break:break-all}td.size{white-space:nowrap;color:var(--muted);text-align:right}\
            td.act{text-align:right;width:1%;white-space:nowrap}a.download{display:inline-block;padding:6px 14px;border-radius:6px;background:var(--accent);\
            color:#fff;text-decoration:none;font-weight:600}a.download:hover{filter:brightness(1.1)}.na{color:var(--muted)}\
            .more{margin:16px 0}.more a{color:var(--accent)}footer{margin:24px 0;color:var(--muted);font-size:13px}""";

    private static final String CSP = "default-src 'none'; style-src '" + sha256(STYLE) + "'; img-src 'none'; base-uri 'none'; "
            + "form-action 'none'; frame-ancestors 'none'";

    private HtmlPage() {}

    /** A whole page: {@code body} is HTML already escaped where it holds text. */
    public static ApiResponse of(int status, String title, String body) {
        String html = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<meta name=\"robots\" content=\"noindex, nofollow\"><meta name=\"referrer\" content=\"no-referrer\">"
                + "<title>" + escape(title) + " · Skylift</title><style>" + STYLE + "</style></head>\n<body><main>"
                + "<p class=\"brand\">Skylift</p>" + body + "</main></body></html>\n";
        return new ApiResponse(status, headers("text/html; charset=utf-8"), html);
    }

    /** A short page saying why a link does not work, and what to do. */
    public static ApiResponse notice(int status, String title, String text) {
        return of(status, title, "<h1>" + escape(title) + "</h1><p class=\"meta\">" + escape(text) + "</p>");
    }

    /** The same headers on a redirect to a download: no referrer may carry the page's link to storage. */
    public static ApiResponse redirect(String location) {
        Map<String, String> headers = new LinkedHashMap<>(headers(null));
        headers.put("Location", location);
        return new ApiResponse(302, headers, null);
    }

    private static Map<String, String> headers(String contentType) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }
        headers.put("Content-Security-Policy", CSP);
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Robots-Tag", "noindex, nofollow");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        return headers;
    }

    /** Text safe inside an element or a quoted attribute. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> {
                    // Control characters (other tools can write them into names) would garble the page; so would text-direction controls, which can also disguise a name ("gpj.exe" shown as "exe.jpg").
                    if (Character.isISOControl(c) || (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069')
                            || c == '\u200E' || c == '\u200F' || c == '\u061C') {
                        out.append('\uFFFD');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static String sha256(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256-" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
