package io.skylift.engine.internal.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.engine.TransferException;
import io.skylift.engine.TransferException.Reason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The service's refusals of moves and restores reach the person under the headline that fits, with its words. */
class ApiCallExceptionTest {

    @ParameterizedTest(name = "{0} {1} reads as {2}")
    @CsvSource({
            "409, SOURCE_CHANGED, REMOTE_CHANGED, false",
            "409, NOT_ARCHIVED, BAD_REQUEST, false",
            "409, MOVE_CONFLICT, UNAVAILABLE, true",
            "409, OBJECT_EXISTS, EXISTS, false",
            "404, MOVE_NOT_FOUND, NOT_FOUND, false",
            "410, MOVE_ID_EXPIRED, NOT_FOUND, false",
            "403, MOVE_ID_INVALID, FORBIDDEN, false",
            "403, MOVE_NOT_YOURS, FORBIDDEN, false",
            "400, MOVE_INVALID, BAD_REQUEST, false",
    })
    void aMoveOrRestoreRefusalReadsUnderItsOwnHeadlineAndKeepsTheServicesWords(int status, String code, Reason reason, boolean retryable) {
        String words = "words of " + code;

        TransferException shown = new ApiCallException(status, code, words, retryable, null).toTransferException();

        assertThat(shown.reason()).isEqualTo(reason);
        assertThat(shown.isRetryable()).isEqualTo(retryable);
        assertThat(shown.getMessage()).isEqualTo(words);
    }
}
