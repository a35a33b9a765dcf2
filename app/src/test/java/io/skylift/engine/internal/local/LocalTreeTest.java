package io.skylift.engine.internal.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.skylift.engine.TransferException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A downloaded folder keeps its tree, and no name from storage can put a file anywhere but inside it. */
class LocalTreeTest {

    static final Path INTO = Path.of("/home/ana/Downloads");

    @Test
    void theFolderIsNamedAfterTheRemoteOneAndTheTreeBelowItIsKeptAsStored() {
        Path top = LocalTree.top(INTO, "u/ana/2026/wedding day/");
        assertThat(top).isEqualTo(INTO.resolve("wedding day"));
        assertThat(LocalTree.place(top, "raw/IMG_0001.CR3", "k")).isEqualTo(top.resolve("raw").resolve("IMG_0001.CR3"));
        assertThat(LocalTree.place(top, ".xmp/IMG_0001.xmp", "k")).as("dotfiles land inside the folder").isEqualTo(top.resolve(".xmp/IMG_0001.xmp"));
    }

    @Test
    void aRemoteFolderWithAnUnsafeNameGetsASafeOne() {
        assertThat(LocalTree.top(INTO, "u/ana/.ssh/")).as("never a hidden folder beside the person's own").isEqualTo(INTO.resolve("ssh"));
        assertThat(LocalTree.top(INTO, "u/ana/a\u202Eb/")).isEqualTo(INTO.resolve("ab"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"../escaped.txt", "a/../../etc/passwd", "./x.txt", "a//b.txt", "...", ".../y.txt", "a/", "back\\slash.txt",
            "C:x.txt", "CON/x.txt", "com1.txt", "trail. ", "q?.txt", "bidi\u202Etxt.exe", "nul\u0000.txt", "ctl\u0001.txt"})
    void aPathThatCannotBeALocalOneAsStoredIsRefusedNamingTheKey(String relative) {
        Path top = INTO.resolve("shoot");
        assertThatThrownBy(() -> LocalTree.place(top, relative, "u/ana/shoot/" + relative))
                .isInstanceOfSatisfying(TransferException.class, e -> {
                    assertThat(e.reason()).isEqualTo(TransferException.Reason.BAD_REQUEST);
                    assertThat(e.isRetryable()).isFalse();
                })
                .hasMessageStartingWith("u/ana/shoot/" + relative + " was not downloaded");
    }

    @Test
    void aNameTooLongForADiskIsRefusedNotShortened() {
        String name = "x".repeat(300) + ".jpg";
        assertThatThrownBy(() -> LocalTree.place(INTO, name, "k")).isInstanceOf(TransferException.class);
    }
}
