package io.skylift.engine.internal.http;

import io.skylift.engine.internal.retry.PartFailure;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the code and message of an S3 error answer ({@code <Error><Code>…</Code><Message>…</Message>}). */
public final class S3Answer {

    private static final Pattern CODE = Pattern.compile("<Code>([^<]*)</Code>");
    private static final Pattern MESSAGE = Pattern.compile("<Message>([^<]*)</Message>");
    // An error document is small; never read more than this of a body we are refusing.
    public static final int MAX_ERROR_BYTES = 16 * 1024;

    private S3Answer() {}

    public static PartFailure failure(int status, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        return PartFailure.answer(status, first(CODE.matcher(text)), first(MESSAGE.matcher(text)));
    }

    private static String first(Matcher matcher) {
        return matcher.find() ? matcher.group(1) : null;
    }
}
