package io.skylift.backend.share;

import io.skylift.backend.http.ApiResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The page a share link opens: the share's name, when it expires, and a row per file with its size
 * and a download link. Links are relative ({@code <token>/<file ref>} from {@code /s/<token>}), so the page
 * works at whatever address and stage the API is served. The page is bounded in bytes: rows stop at
 * {@link #MAX_BYTES} (the longest names make about 3 KB a row) and a "More files" link continues.
 * Stateless; thread-safe.
 */
public final class SharePageHtml {

    /** Far below Lambda's 6 MB: a page of the longest names is still quick to load. */
    static final int MAX_BYTES = 800_000;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private SharePageHtml() {}

    /** How many of {@code files} fit on one page. */
    public static int fitting(String token, List<SharedFile> files) {
        int used = 0;
        for (int i = 0; i < files.size(); i++) {
            used += row(token, files.get(i)).getBytes(StandardCharsets.UTF_8).length;
            if (used > MAX_BYTES) {
                return Math.max(1, i);
            }
        }
        return files.size();
    }

    /**
     * @param more the cursor of the next page of a folder's files, null on the last page
     */
    public static ApiResponse page(String token, String name, boolean folder, Instant expires, List<SharedFile> files,
                                   String more, boolean continued) {
        long bytes = files.stream().mapToLong(SharedFile::size).sum();
        StringBuilder body = new StringBuilder(4096 + files.size() * 256);
        body.append("<h1>").append(HtmlPage.escape(name)).append("</h1><p class=\"meta\">");
        String count = files.size() == 1 ? "1 file" : String.format(Locale.ENGLISH, "%,d files", files.size());
        body.append(HtmlPage.escape((continued ? "More files: " : more != null ? "First " : "") + count + ", " + size(bytes)))
                .append(" · Link works until ").append(HtmlPage.escape(WHEN.format(expires))).append("</p>");
        if (files.isEmpty()) {
            body.append("<p class=\"meta\">").append(folder ? "This folder holds no files now." : "").append("</p>");
        } else {
            body.append("<table><thead><tr><th>File</th><th class=\"size\">Size</th><th></th></tr></thead><tbody>");
            files.forEach(f -> body.append(row(token, f)));
            body.append("</tbody></table>");
        }
        if (more != null) {
            body.append("<p class=\"more\"><a href=\"").append(HtmlPage.escape(token)).append("?after=")
                    .append(URLEncoder.encode(more, StandardCharsets.UTF_8)).append("\">More files</a></p>");
        }
        body.append("<footer>Each download comes straight from storage. This page lists only what was shared with you.</footer>");
        return HtmlPage.of(200, name, body.toString());
    }

    private static String row(String token, SharedFile file) {
        String action = file.downloads()
                ? "<a class=\"download\" href=\"" + HtmlPage.escape(token + "/" + fileRef(file.path())) + "\" download>Download</a>"
                : "<span class=\"na\">" + (file.archived() ? "Archived: ask the sender to restore it" : "Cannot be downloaded here") + "</span>";
        return "<tr><td class=\"name\">" + HtmlPage.escape(file.path()) + "</td><td class=\"size\">" + size(file.size())
                + "</td><td class=\"act\">" + action + "</td></tr>";
    }

    /**
     * A file's name in its download link: base64url of its path below the share. API Gateway's HTTP API
     * hands a function the request path already percent-decoded (and cut at a decoded '?'), so a path of
     * names would reach the function other than it was sent for a name holding '%', '?' or '/'; base64url
     * holds none of the characters anything on the way decodes.
     */
    public static String fileRef(String path) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(path.getBytes(StandardCharsets.UTF_8));
    }

    static String size(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1000 && unit < units.length - 1) {
            value /= 1000;
            unit++;
        }
        return String.format(Locale.ENGLISH, value < 10 ? "%.1f %s" : "%.0f %s", value, units[unit]);
    }
}
