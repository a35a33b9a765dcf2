package io.skylift.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.skylift.engine.RemoteEntry;
import io.skylift.engine.TransferState;
import io.skylift.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javafx.scene.control.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Connect with AWS credentials" on the first screen: a bucket and a profile instead of a Skylift
 * address, against the sandbox's S3 server; then the same queue carries an upload, and a wrong
 * profile gets words about credentials.
 */
class DirectConnectTest {

    @TempDir
    Path dir;
    WindowDriver window;
    Sandbox storage;

    @BeforeEach
    void profiles() throws Exception {
        storage = Sandbox.start(Sandbox.Settings.ephemeral());
        Path credentials = Files.writeString(dir.resolve("aws-credentials"), "[studio]\naws_access_key_id = "
                + storage.info().s3AccessKey() + "\naws_secret_access_key = " + storage.info().s3SecretKey() + "\n");
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        System.setProperty("aws.configFile", Files.writeString(dir.resolve("aws-config"), "").toString());
    }

    @AfterEach
    void close() throws Exception {
        if (window != null) {
            window.close();
        }
        storage.close();
        System.clearProperty("aws.sharedCredentialsFile");
        System.clearProperty("aws.configFile");
    }

    void connect(String profile) {
        window.clickOn(window.<javafx.scene.control.TitledPane>node("#direct-pane").lookup(".title"));
        window.clickOn("#direct-bucket").write(storage.info().bucket());
        window.clickOn("#direct-profile").write(profile);
        window.clickOn("#direct-region").write("us-east-1");
        window.clickOn("#direct-endpoint").write(storage.info().s3Endpoint().toString());
        window.clickOn("#connect-direct");
    }

    @Test
    void aProfileAndABucketConnectAndUploadsGoStraightToTheBucket() throws Exception {
        Path photo = dir.resolve("IMG_0100.CR3");
        byte[] bytes = new byte[7 * 1024 * 1024];
        new Random(3).nextBytes(bytes);
        Files.write(photo, bytes);
        window = new WindowDriver(dir.resolve("data")).open();

        connect("studio");
        MainWindow main = window.awaitSignedIn();
        assertThat(window.stage().getTitle()).isEqualTo("Skylift - s3://" + storage.info().bucket());

        window.clickOn("#upload-folder").write("shoots");
        WindowDriver.onFx(() -> main.upload(List.of(photo)));
        window.awaitRows(1, s -> s == TransferState.DONE);

        List<String> stored = main.session().engine().list("shoots/", true, null).entries().stream().map(RemoteEntry::key).toList();
        assertThat(stored).containsExactly("shoots/IMG_0100.CR3");
        window.clickOn("Files");
        window.await("the bucket's folder in the browser", () -> main.browser().entries().stream().anyMatch(e -> e.name().equals("shoots")));

        // The next start connects to the same bucket again; the settings hold no credentials.
        window.close();
        String remembered = Files.readString(dir.resolve("data").resolve("settings.json"));
        assertThat(remembered).contains(storage.info().bucket()).doesNotContain(storage.info().s3SecretKey());
        window = new WindowDriver(dir.resolve("data")).open();
        window.awaitSignedIn();
        assertThat(window.stage().getTitle()).isEqualTo("Skylift - s3://" + storage.info().bucket());
    }

    @Test
    void aProfileThatDoesNotExistSaysWhichCredentialsWereTried() throws Exception {
        window = new WindowDriver(dir.resolve("data")).open();

        connect("nobody");
        window.await("an error on the sign-in screen", () -> window.<Label>node("#connect-error").isVisible());

        String error = window.<Label>node("#connect-error").getText();
        assertThat(error).contains("the profile 'nobody'").contains("aws sso login --profile nobody");
        assertThat(window.stage().getTitle()).isEqualTo("Skylift");
    }
}
