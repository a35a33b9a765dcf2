package io.skylift.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class UserFoldersTest {

    static final Path HOME = Path.of("/home/alice");
    static final String LINUX = "Linux";
    static final String MAC = "Mac OS X";
    static final String WINDOWS = "Windows 11";

    @ParameterizedTest
    @ValueSource(strings = {LINUX, MAC, WINDOWS})
    void skyliftDataDirWinsOnEverySystem(String os) {
        Map<String, String> env = Map.of(
                "SKYLIFT_DATA_DIR", "/srv/skylift-data",
                "XDG_DATA_HOME", "/home/alice/.xdg",
                "LOCALAPPDATA", "/c/Users/alice/AppData/Local");

        assertThat(UserFolders.data(env, os, HOME)).isEqualTo(Path.of("/srv/skylift-data"));
    }

    @Test
    void aBlankSkyliftDataDirIsIgnored() {
        assertThat(UserFolders.data(Map.of("SKYLIFT_DATA_DIR", "  "), LINUX, HOME))
                .isEqualTo(Path.of("/home/alice/.local/share/skylift"));
    }

    @Test
    void linuxUsesAnAbsoluteXdgDataHome() {
        assertThat(UserFolders.data(Map.of("XDG_DATA_HOME", "/data/alice"), LINUX, HOME))
                .isEqualTo(Path.of("/data/alice/skylift"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"relative/data", ".local/share", "", "   "})
    void linuxIgnoresAnXdgDataHomeThatIsRelativeOrBlank(String xdg) {
        assertThat(UserFolders.data(Map.of("XDG_DATA_HOME", xdg), LINUX, HOME))
                .isEqualTo(Path.of("/home/alice/.local/share/skylift"));
    }

    @Test
    void linuxDefaultsToTheLocalShareFolderInTheHome() {
        assertThat(UserFolders.data(Map.of(), LINUX, HOME)).isEqualTo(Path.of("/home/alice/.local/share/skylift"));
    }

    @Test
    void anUnknownUnixFollowsTheXdgConvention() {
        assertThat(UserFolders.data(Map.of(), "FreeBSD", HOME)).isEqualTo(Path.of("/home/alice/.local/share/skylift"));
    }

    @Test
    void macOsUsesApplicationSupportAndIgnoresXdg() {
        assertThat(UserFolders.data(Map.of("XDG_DATA_HOME", "/data/alice"), MAC, Path.of("/Users/alice")))
                .isEqualTo(Path.of("/Users/alice/Library/Application Support/Skylift"));
    }

    @Test
    void windowsUsesLocalAppData() {
        String local = "C:\\Users\\alice\\AppData\\Local";

        assertThat(UserFolders.data(Map.of("LOCALAPPDATA", local), WINDOWS, HOME))
                .isEqualTo(Path.of(local).resolve("Skylift"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Windows 10", "Windows Server 2022", "windows 11"})
    void everyWindowsNameIsRecognised(String os) {
        assertThat(UserFolders.data(Map.of("LOCALAPPDATA", "/lad"), os, HOME)).isEqualTo(Path.of("/lad/Skylift"));
    }

    @Test
    void windowsFallsBackToAppDataLocalInTheHomeWithoutLocalAppData() {
        assertThat(UserFolders.data(Map.of(), WINDOWS, HOME)).isEqualTo(HOME.resolve("AppData").resolve("Local").resolve("Skylift"));
    }

    @Test
    void windowsFallsBackToTheHomeWhenLocalAppDataIsBlank() {
        assertThat(UserFolders.data(Map.of("LOCALAPPDATA", ""), WINDOWS, HOME))
                .isEqualTo(HOME.resolve("AppData").resolve("Local").resolve("Skylift"));
    }
}
