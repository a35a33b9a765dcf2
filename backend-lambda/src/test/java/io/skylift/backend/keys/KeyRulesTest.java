package io.skylift.backend.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skylift.backend.http.ApiError;
import io.skylift.backend.identity.Identity;
import io.skylift.backend.identity.Role;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyRulesTest {

    static final Identity ALICE = new Identity("alice-0001", "alice", Set.of(Role.PHOTOGRAPHER));
    static final Identity SAM_STAFF = new Identity("sam-0003", "sam", Set.of(Role.STAFF));
    static final String ALICE_ROOT = "u/alice-0001/";

    final KeyRules rules = new KeyRules("archives/");

    static void assertApiError(ThrowingCallable call, int status, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.code()).isEqualTo(code);
        });
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    @Nested
    class UploadKey {

        @Test
        void theKeyIsTheCallersRootThenTheFolderThenTheFileName() {
            assertThat(rules.uploadKey(ALICE, "2024/wedding", "IMG_0001.CR3"))
                    .isEqualTo("u/alice-0001/2024/wedding/IMG_0001.CR3");
        }

        @ParameterizedTest
        @NullAndEmptySource
        void aMissingFolderPutsTheFileDirectlyInTheCallersRoot(String folder) {
            assertThat(rules.uploadKey(ALICE, folder, "IMG_0001.CR3")).isEqualTo("u/alice-0001/IMG_0001.CR3");
        }

        @Test
        void aTrailingSlashOnTheFolderIsTolerated() {
            assertThat(rules.uploadKey(ALICE, "2024/wedding/", "a.jpg"))
                    .isEqualTo(rules.uploadKey(ALICE, "2024/wedding", "a.jpg"))
                    .isEqualTo("u/alice-0001/2024/wedding/a.jpg");
        }

        @Test
        void theSubjectDecidesTheRootWhateverTheDisplayName() {
            var impostor = new Identity("bob-0002", "alice-0001", Set.of(Role.PHOTOGRAPHER));

            assertThat(rules.uploadKey(impostor, "x", "a.jpg")).isEqualTo("u/bob-0002/x/a.jpg");
        }

        @ParameterizedTest
        @NullAndEmptySource
        void aMissingFileNameIsRefused(String fileName) {
            assertApiError(() -> rules.uploadKey(ALICE, "x", fileName), 400, "NAME_INVALID");
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "..", ".", "a/b", "/b", "b/", "a\\b", "\\",
                "a\u0000b", "a\nb", "a\rb", "a\tb", "a\u001Fb", "a\u007Fb", "a\u0085b", "a\u009Fb",
                "photo\u202Egpj.exe", "a\u202Ab", "a\u2066b", "a\u2069b", "a\u200Eb", "a\u200Fb",
                "a\uD83D", "a\uD83Db", "\uDE00b", "a\uDE00\uD83Db"})
        void aHostileFileNameIsRefused(String fileName) {
            assertApiError(() -> rules.uploadKey(ALICE, "", fileName), 400, "NAME_INVALID");
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "../x", "..", ".", "x/..", "x/../y", "x/./y", "./x",
                "/abs", "/", "//", "a//b", "a//", "a\\b",
                "a\u0000", "a/b\nc", "a\u007F", "a\u0085", "x\u202Ey", "a\uD83D", "\uDE00"})
        void aHostileFolderIsRefused(String folder) {
            assertApiError(() -> rules.uploadKey(ALICE, folder, "a.jpg"), 400, "NAME_INVALID");
        }

        @Test
        void theArabicLetterMarkIsRefusedLikeTheOtherTextDirectionControls() {
            assertApiError(() -> rules.uploadKey(ALICE, "", "photo\u061C.jpg"), 400, "NAME_INVALID");
        }

        @Test
        void aValidSurrogatePairIsAccepted() {
            assertThat(rules.uploadKey(ALICE, "\uD83D\uDCF7", "\uD83D\uDE00.jpg"))
                    .isEqualTo("u/alice-0001/\uD83D\uDCF7/\uD83D\uDE00.jpg");
        }

        @Test
        void aDecomposedNameGivesTheSameKeyAsTheComposedName() {
            String decomposed = rules.uploadKey(ALICE, "Cafe\u0301", "re\u0301sume\u0301.jpg");
            String composed = rules.uploadKey(ALICE, "Caf\u00e9", "r\u00e9sum\u00e9.jpg");

            assertThat(decomposed).isEqualTo(composed).isEqualTo("u/alice-0001/Caf\u00e9/r\u00e9sum\u00e9.jpg");
        }

        @Test
        void aKeyOfExactly1024BytesIsAccepted() {
            String name = "a".repeat(KeyRules.MAX_KEY_BYTES - utf8Length(ALICE_ROOT));

            String key = rules.uploadKey(ALICE, null, name);

            assertThat(utf8Length(key)).isEqualTo(1024);
        }

        @Test
        void aKeyOf1025BytesIsRefused() {
            String name = "a".repeat(KeyRules.MAX_KEY_BYTES - utf8Length(ALICE_ROOT) + 1);

            assertApiError(() -> rules.uploadKey(ALICE, null, name), 400, "KEY_TOO_LONG");
        }

        @Test
        void aKeyOfExactly1024BytesMadeOfMultiByteCharactersIsAccepted() {
            // 13 bytes of root + "€/" (4) + 251 emoji (1004) + "é" (2) + "a" (1) = 1024
            String folder = "\u20AC";
            String name = "\uD83D\uDE00".repeat(251) + "\u00e9a";

            String key = rules.uploadKey(ALICE, folder, name);

            assertThat(utf8Length(key)).isEqualTo(1024);
            assertThat(key.length()).isLessThan(1024);
        }

        @Test
        void aKeyOf1025BytesMadeOfMultiByteCharactersIsRefusedThoughItHasFarFewerThan1024Chars() {
            String folder = "\u20AC";
            String name = "\uD83D\uDE00".repeat(251) + "\u00e9ab";
            assertThat(utf8Length(ALICE_ROOT + folder + "/" + name)).isEqualTo(1025);
            assertThat((ALICE_ROOT + folder + "/" + name).length()).isLessThan(600);

            assertApiError(() -> rules.uploadKey(ALICE, folder, name), 400, "KEY_TOO_LONG");
        }

        @Test
        void theLengthLimitAppliesToTheNormalisedKey() {
            // Decomposed, "e\u0301" is 3 bytes; composed, "\u00e9" is 2: 505 of them push the
            // decomposed name past the limit while the stored (composed) key fits.
            String decomposedName = "e\u0301".repeat(505) + "a";
            assertThat(utf8Length(ALICE_ROOT + decomposedName)).isGreaterThan(1024);

            String key = rules.uploadKey(ALICE, null, decomposedName);

            assertThat(utf8Length(key)).isEqualTo(13 + 1010 + 1);
        }
    }

    @Nested
    class ReadableKey {

        @Test
        void theCallersOwnKeyIsReadable() {
            assertThat(rules.readableKey(ALICE, "u/alice-0001/2024/a.jpg")).isEqualTo("u/alice-0001/2024/a.jpg");
        }

        @Test
        void anotherUsersKeyIsForbidden() {
            assertApiError(() -> rules.readableKey(ALICE, "u/bob-0002/a.jpg"), 403, "KEY_FORBIDDEN");
        }

        @Test
        void aUserWhoseSubjectStartsWithTheCallersIsAnotherUser() {
            assertApiError(() -> rules.readableKey(ALICE, "u/alice-00010/a.jpg"), 403, "KEY_FORBIDDEN");
        }

        @Test
        void anArchiveKeyIsForbiddenToAPhotographer() {
            assertApiError(() -> rules.readableKey(ALICE, "archives/2019/a.jpg"), 403, "KEY_FORBIDDEN");
        }

        @Test
        void anArchiveKeyIsReadableByStaff() {
            assertThat(rules.readableKey(SAM_STAFF, "archives/2019/a.jpg")).isEqualTo("archives/2019/a.jpg");
        }

        @Test
        void staffMayNotReadAnotherUsersKey() {
            assertApiError(() -> rules.readableKey(SAM_STAFF, "u/alice-0001/a.jpg"), 403, "KEY_FORBIDDEN");
        }

        @ParameterizedTest
        @ValueSource(strings = {
                "u/alice-0001/../bob/x", "u/alice-0001/./x", "u/alice-0001//x", "u/alice-0001/",
                "/u/alice-0001/x", "u/alice-0001/a\uD83D"})
        void aMalformedKeyIsRefusedBeforeAccessIsConsidered(String key) {
            assertApiError(() -> rules.readableKey(ALICE, key), 400, "NAME_INVALID");
        }

        // Skylift never writes such names, but another tool may have: they are the caller's files all the same.
        @ParameterizedTest
        @ValueSource(strings = {"u/alice-0001/a\\b", "u/alice-0001/a\u0001", "u/alice-0001/\u202Egpj.exe", "u/alice-0001/tab\there/x"})
        void aKeyAnotherToolWroteWithControlOrTextDirectionCharactersMayBeRead(String key) {
            assertThat(rules.readableKey(ALICE, key)).isEqualTo(key);
            assertApiError(() -> rules.readableKey(SAM_STAFF, key), 403, "KEY_FORBIDDEN");
        }

        @ParameterizedTest
        @NullAndEmptySource
        void aMissingKeyIsRefused(String key) {
            assertApiError(() -> rules.readableKey(ALICE, key), 400, "KEY_INVALID");
        }

        @Test
        void aKeyLongerThan1024BytesIsRefused() {
            String key = ALICE_ROOT + "\u00e9".repeat(506);
            assertThat(utf8Length(key)).isEqualTo(1025);

            assertApiError(() -> rules.readableKey(ALICE, key), 400, "KEY_TOO_LONG");
        }
    }

    @Nested
    class ListablePrefix {

        @ParameterizedTest
        @NullAndEmptySource
        void noPrefixMeansTheCallersOwnFolder(String prefix) {
            assertThat(rules.listablePrefix(ALICE, prefix)).isEqualTo("u/alice-0001/");
        }

        @ParameterizedTest
        @ValueSource(strings = {"u/alice-0001/", "u/alice-0001/2024/", "u/alice-0001/2024/IMG_"})
        void aPrefixInsideTheCallersFolderIsListable(String prefix) {
            assertThat(rules.listablePrefix(ALICE, prefix)).isEqualTo(prefix);
        }

        @ParameterizedTest
        @ValueSource(strings = {"u/ali", "u/alice-0001", "u/", "u", "u/bob-0002/", "archives/"})
        void aPrefixThatWouldReachIntoOtherFoldersIsForbidden(String prefix) {
            assertApiError(() -> rules.listablePrefix(ALICE, prefix), 403, "PREFIX_FORBIDDEN");
        }

        @Test
        void staffMayListTheArchive() {
            assertThat(rules.listablePrefix(SAM_STAFF, "archives/")).isEqualTo("archives/");
            assertThat(rules.listablePrefix(SAM_STAFF, "archives/2019/")).isEqualTo("archives/2019/");
        }

        @Test
        void staffMayNotListAPrefixThatOnlyStartsLikeTheArchive() {
            assertApiError(() -> rules.listablePrefix(SAM_STAFF, "archives"), 403, "PREFIX_FORBIDDEN");
            assertApiError(() -> rules.listablePrefix(SAM_STAFF, "arch"), 403, "PREFIX_FORBIDDEN");
        }

        @ParameterizedTest
        @ValueSource(strings = {"u/alice-0001/../bob-0002/", "u/alice-0001//", "/u/alice-0001/"})
        void aMalformedPrefixIsRefused(String prefix) {
            assertApiError(() -> rules.listablePrefix(ALICE, prefix), 400, "NAME_INVALID");
        }
    }

    @Nested
    class S3Order {

        @Test
        void aSupplementaryCharacterSortsAfterTheLastBmpCharacterAsInS3() {
            String replacement = "\uFFFD";
            String emoji = "\uD83D\uDE00";
            assertThat(replacement.compareTo(emoji)).as("Java's UTF-16 order").isPositive();

            assertThat(KeyRules.S3_ORDER.compare(replacement, emoji)).isNegative();
            assertThat(KeyRules.S3_ORDER.compare(emoji, replacement)).isPositive();
        }

        @Test
        void aPrefixSortsBeforeItsExtensionsAndEqualStringsCompareEqual() {
            assertThat(KeyRules.S3_ORDER.compare("a", "ab")).isNegative();
            assertThat(KeyRules.S3_ORDER.compare("ab", "a")).isPositive();
            assertThat(KeyRules.S3_ORDER.compare("u/a\uD83D\uDE00", "u/a\uD83D\uDE00")).isZero();
            assertThat(KeyRules.S3_ORDER.compare("", "")).isZero();
            assertThat(KeyRules.S3_ORDER.compare("", "a")).isNegative();
        }

        @Test
        void theOrderIsTheOrderOfUtf8Bytes() {
            char[] alphabet = {'a', 'Z', '/', '\u00e9', '\u20AC', '\uFFFD', '\uFB01', '\uD83D', '\uDE00', '\uD800', '\uDC00'};
            Random random = new Random(42);
            List<String> strings = new ArrayList<>();
            while (strings.size() < 400) {
                StringBuilder s = new StringBuilder();
                int length = random.nextInt(5);
                for (int i = 0; i < length; i++) {
                    char c = alphabet[random.nextInt(alphabet.length)];
                    if (Character.isHighSurrogate(c)) {
                        s.append(c).append((char) ('\uDC00' + random.nextInt(1024)));
                    } else if (!Character.isLowSurrogate(c)) {
                        s.append(c);
                    }
                }
                strings.add(s.toString());
            }
            for (String a : strings) {
                for (String b : strings) {
                    int bytes = Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
                    assertThat(Integer.signum(KeyRules.S3_ORDER.compare(a, b)))
                            .as("%s vs %s", a, b)
                            .isEqualTo(Integer.signum(bytes));
                }
            }
        }
    }
}
