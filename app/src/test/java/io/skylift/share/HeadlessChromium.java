package io.skylift.share;

import com.fasterxml.jackson.databind.JsonNode;
import io.skylift.json.Json;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A headless Chromium driven through chromedriver over the W3C WebDriver protocol: open a page, find
 * elements by CSS selector, read and click them, take a screenshot. What a page downloads lands in
 * {@link #downloads()} without a prompt.
 *
 * <p>Each instance runs its own chromedriver on a free port, and its browser keeps its profile and
 * downloads under the folder it was given; {@link #close()} ends the browser and the driver. Not
 * thread-safe: one test drives it.
 *
 * <pre>{@code
 * try (HeadlessChromium browser = HeadlessChromium.start(dir)) {
 *     browser.open(URI.create("http://127.0.0.1:8787/s/..."));
 *     browser.click(browser.find("a.download"));
 * }
 * }</pre>
 */
final class HeadlessChromium implements AutoCloseable {

    // A cold Chromium on two busy cores takes a few seconds; this is for a driver that never comes up.
    static final Duration START_DEADLINE = Duration.ofSeconds(30);
    // Longer than any page load the session allows (PAGE_LOAD), so the driver, not OkHttp, reports a slow page.
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PAGE_LOAD = Duration.ofSeconds(30);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(10);
    private static final Pattern LISTENING = Pattern.compile("started successfully on port (\\d+)");
    // The key under which WebDriver names an element (W3C WebDriver, "web element identifier").
    private static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final MediaType JSON = MediaType.get("application/json");
    private static final String MISSING = "This test drives a real browser: headless Chromium and chromedriver. Install them"
            + " (Debian and Ubuntu: apt-get install chromium chromium-driver; .ci/run installs them on CI).";

    /** An element of the page as the driver names it; valid until the page changes. */
    record Element(String id) {}

    private final Process driver;
    private final OkHttpClient http;
    private final HttpUrl session;
    private final Path downloads;

    private HeadlessChromium(Process driver, OkHttpClient http, HttpUrl session, Path downloads) {
        this.driver = driver;
        this.http = http;
        this.session = session;
        this.downloads = downloads;
    }

    /**
     * Starts chromedriver and a browser session, keeping the profile and downloads under {@code dir}.
     *
     * @throws IllegalStateException when Chromium or chromedriver is not installed, saying how to install them
     */
    static HeadlessChromium start(Path dir) throws IOException {
        Path chromedriver = onPath("chromedriver").orElseThrow(() -> new IllegalStateException("chromedriver is missing. " + MISSING));
        Path chromium = onPath("chromium").or(() -> onPath("chromium-browser"))
                .orElseThrow(() -> new IllegalStateException("Chromium is missing. " + MISSING));
        Path downloads = Files.createDirectories(dir.resolve("downloads"));
        Path profile = Files.createDirectories(dir.resolve("profile"));
        Path log = dir.resolve("chromedriver.log");
        Process driver = new ProcessBuilder(chromedriver.toString(), "--port=0")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            OkHttpClient http = new OkHttpClient.Builder().callTimeout(COMMAND_TIMEOUT).readTimeout(COMMAND_TIMEOUT).build();
            HttpUrl base = new HttpUrl.Builder().scheme("http").host("127.0.0.1").port(port(driver, log)).build();
            Map<String, Object> options = Map.of(
                    "binary", chromium.toString(),
                    "args", List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1000,680",
                            "--user-data-dir=" + profile),
                    "prefs", Map.of("download.default_directory", downloads.toString(), "download.prompt_for_download", false));
            Map<String, Object> capabilities = Map.of("alwaysMatch", Map.of(
                    "browserName", "chrome",
                    "goog:chromeOptions", options,
                    "timeouts", Map.of("pageLoad", PAGE_LOAD.toMillis(), "script", PAGE_LOAD.toMillis())));
            JsonNode created = send(http, base.newBuilder().addPathSegment("session").build(), "new session",
                    Map.of("capabilities", capabilities));
            HttpUrl session = base.newBuilder().addPathSegment("session").addPathSegment(created.path("sessionId").asText()).build();
            return new HeadlessChromium(driver, http, session, downloads);
        } catch (IOException | RuntimeException e) {
            stop(driver);
            throw e;
        }
    }

    /** Where the browser saves what it downloads. */
    Path downloads() {
        return downloads;
    }

    /** Opens {@code page} and returns once it has loaded. */
    void open(URI page) throws IOException {
        command("url", "open a page", Map.of("url", page.toString()));
    }

    String title() throws IOException {
        return command("title", "read the title", null).asText();
    }

    /** The first element matching a CSS selector; fails when there is none. */
    Element find(String css) throws IOException {
        return element(command("element", "find " + css, Map.of("using", "css selector", "value", css)));
    }

    /** Every element matching a CSS selector, in document order; empty when there is none. */
    List<Element> findAll(String css) throws IOException {
        List<Element> found = new ArrayList<>();
        for (JsonNode node : command("elements", "find all " + css, Map.of("using", "css selector", "value", css))) {
            found.add(element(node));
        }
        return found;
    }

    /** The element's text as a person sees it rendered. */
    String text(Element element) throws IOException {
        return command("element/" + element.id() + "/text", "read an element's text", null).asText();
    }

    /** The computed value of a CSS property of the element, e.g. "rgba(31, 111, 235, 1)" for a colour. */
    String css(Element element, String property) throws IOException {
        return command("element/" + element.id() + "/css/" + property, "read an element's style", null).asText();
    }

    void click(Element element) throws IOException {
        command("element/" + element.id() + "/click", "click", Map.of());
    }

    /** The whole window as a PNG. */
    byte[] screenshot() throws IOException {
        return Base64.getDecoder().decode(command("screenshot", "take a screenshot", null).asText());
    }

    @Override
    public void close() {
        try {
            http.newCall(new Request.Builder().url(session).delete().build()).execute().close();
        } catch (IOException e) {
            // The driver is stopped below all the same, and with it the browser.
        } finally {
            stop(driver);
        }
    }

    private JsonNode command(String path, String what, Object body) throws IOException {
        HttpUrl url = session.newBuilder().addPathSegments(path).build();
        return body == null ? get(url, what) : send(http, url, what, body);
    }

    private JsonNode get(HttpUrl url, String what) throws IOException {
        try (Response response = http.newCall(new Request.Builder().url(url).build()).execute()) {
            return value(response, what);
        }
    }

    private static JsonNode send(OkHttpClient http, HttpUrl url, String what, Object body) throws IOException {
        RequestBody json = RequestBody.create(Json.WIRE.writeValueAsString(body), JSON);
        try (Response response = http.newCall(new Request.Builder().url(url).post(json).build()).execute()) {
            return value(response, what);
        }
    }

    // Every answer is {"value": ...}; an error's value names it ("no such element") with a message. Only
    // the message's first line is kept: the rest is the driver's stack, and an address may sit in it.
    private static JsonNode value(Response response, String what) throws IOException {
        JsonNode value = Json.WIRE.readTree(response.body().string()).path("value");
        if (!response.isSuccessful()) {
            String message = value.path("message").asText("").lines().findFirst().orElse("");
            throw new IllegalStateException("The browser could not " + what + " (HTTP " + response.code() + ", "
                    + value.path("error").asText("?") + "): " + message);
        }
        return value;
    }

    private static Element element(JsonNode node) {
        return new Element(node.path(ELEMENT).asText());
    }

    // chromedriver --port=0 picks a free port and says which in its first lines.
    private static int port(Process driver, Path log) throws IOException {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            String said = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            Matcher listening = LISTENING.matcher(said);
            if (listening.find()) {
                return Integer.parseInt(listening.group(1));
            }
            if (!driver.isAlive()) {
                throw new IllegalStateException("chromedriver stopped at start (exit " + driver.exitValue() + "): " + said.strip());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while chromedriver started", e);
            }
        }
        throw new IllegalStateException("chromedriver did not start listening within " + START_DEADLINE.toSeconds() + " s");
    }

    private static void stop(Process driver) {
        // The browser is the driver's child: end it too should the session's end not have.
        List<ProcessHandle> children = driver.descendants().toList();
        driver.destroy();
        try {
            if (!driver.waitFor(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                driver.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            driver.destroyForcibly();
        }
        children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        return Stream.of(path == null ? new String[0] : path.split(File.pathSeparator))
                .filter(entry -> !entry.isEmpty())
                .map(entry -> Path.of(entry, program))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
