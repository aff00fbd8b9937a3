package com.heygem.app.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium driven through chromedriver with the W3C WebDriver protocol (plain HTTP and
 * JSON; no browser download, nothing from the internet). Headless, with the flags this machine's
 * closed network needs. Skipped when the packages are missing, except under CI.
 */
public final class WebDriver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process driver;
    private final String base;
    private final String session;
    private final Path profile;
    private final HttpClient http = HttpClient.newHttpClient();

    private WebDriver(Process driver, String base, String session, Path profile) {
        this.driver = driver;
        this.base = base;
        this.session = session;
        this.profile = profile;
    }

    public static WebDriver start(int width, int height) throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        Path chromedriver = Path.of("/usr/bin/chromedriver");
        if (!Files.isExecutable(chromium) || !Files.isExecutable(chromedriver)) {
            String why = "Chromium is not installed (apt-get install chromium chromium-driver; ./heygem test installs it)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why);
            }
            Assumptions.assumeTrue(false, why);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = Files.createTempFile("chromedriver", ".log");
        Process p = new ProcessBuilder(chromedriver.toString(), "--port=" + port).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        String base = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newHttpClient();
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                http.send(HttpRequest.newBuilder(URI.create(base + "/status")).build(), HttpResponse.BodyHandlers.ofString());
                break;
            } catch (IOException e) {
                if (System.nanoTime() > end) {
                    p.destroyForcibly();
                    throw new IllegalStateException("chromedriver did not start: " + Files.readString(log));
                }
                Thread.sleep(100);
            }
        }
        Path profile = Files.createTempDirectory("chromium-profile");
        ObjectNode caps = JSON.createObjectNode();
        ObjectNode options = caps.putObject("capabilities").putObject("alwaysMatch").put("browserName", "chrome")
                .putObject("goog:chromeOptions").put("binary", chromium.toString());
        for (String arg : List.of("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required", "--lang=en-US",
                "--window-size=" + width + "," + height, "--user-data-dir=" + profile)) {
            options.withArray("args").add(arg);
        }
        JsonNode r = call(http, "POST", base + "/session", caps);
        return new WebDriver(p, base, r.path("value").path("sessionId").asText(), profile);
    }

    private static JsonNode call(HttpClient http, String method, String url, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(120));
        if (method.equals("POST")) {
            b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                    body == null ? "{}" : JSON.writeValueAsString(body)));
        } else if (method.equals("DELETE")) {
            b.DELETE();
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = JSON.readTree(r.body());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(method + " " + url + ": " + json.path("value").path("message").asText(r.body()));
        }
        return json;
    }

    private JsonNode call(String method, String path, Object body) throws Exception {
        return call(http, method, base + "/session/" + session + path, body).path("value");
    }

    /** Resizes the window (a phone's width, say). */
    public void resize(int width, int height) throws Exception {
        call("POST", "/window/rect", JSON.createObjectNode().put("width", width).put("height", height));
    }

    public void open(String url) throws Exception {
        call("POST", "/url", JSON.createObjectNode().put("url", url));
    }

    /** Runs JavaScript in the page; {@code arguments[i]} are the args. */
    public JsonNode script(String js, Object... args) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("script", js);
        body.set("args", JSON.valueToTree(args));
        return call("POST", "/execute/sync", body);
    }

    private String element(String css) throws Exception {
        JsonNode v = call("POST", "/element", JSON.createObjectNode().put("using", "css selector").put("value", css));
        return v.elements().next().asText();
    }

    /** Clicks the element; when the page redrew it between finding and clicking, finds it again. */
    public void click(String css) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                call("POST", "/element/" + element(css) + "/click", null);
                return;
            } catch (IllegalStateException e) {
                if (attempt == 3 || !String.valueOf(e.getMessage()).contains("stale element")) {
                    throw e;
                }
            }
        }
    }

    /** Types into an element; for a file input, newline-separated absolute paths choose files. */
    public void type(String css, String text) throws Exception {
        call("POST", "/element/" + element(css) + "/value", JSON.createObjectNode().put("text", text));
    }

    /** Waits until a JavaScript expression is truthy; returns its last value. */
    public JsonNode await(String expression, Duration limit, Supplier<String> whatFailed) throws Exception {
        long end = System.nanoTime() + limit.toNanos();
        JsonNode v = null;
        String error = null;
        while (System.nanoTime() < end) {
            try {
                v = script("return " + expression + ";");
                error = null;
            } catch (IllegalStateException e) {
                // The page is between two views (an element not there yet): look again.
                error = e.getMessage();
                Thread.sleep(200);
                continue;
            }
            if (v != null && !v.isNull() && !(v.isBoolean() && !v.asBoolean()) && !(v.isTextual() && v.asText().isEmpty())) {
                return v;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("waited " + limit + " for " + expression + ": " + whatFailed.get()
                + (error == null ? "" : " (last script error: " + error + ")"));
    }

    public void screenshot(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(call("GET", "/screenshot", null).asText()));
    }

    /** The value of a cookie the browser holds (HttpOnly ones too). */
    public String cookie(String name) throws Exception {
        return call("GET", "/cookie/" + name, null).path("value").asText();
    }

    @Override
    public void close() throws Exception {
        try {
            call(http, "DELETE", base + "/session/" + session, null);
        } catch (Exception e) {
            // the browser is gone already
        }
        driver.destroy();
        driver.waitFor();
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
