package com.heygem.app.cli;

import com.heygem.engine.face.LandmarkModelFile;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code heygem serve}: the server. For now it checks its prerequisites and answers the health
 * endpoint; the web UI and API are built on this entry point.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the HeyGem server (web UI and API).")
final class ServeCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--port", defaultValue = "${env:HEYGEM_PORT:-7860}",
            description = "HTTP port (env HEYGEM_PORT). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--bind", defaultValue = "${env:HEYGEM_BIND:-0.0.0.0}",
            description = "Address to listen on (env HEYGEM_BIND). Default: ${DEFAULT-VALUE}.")
    String bind;

    @Option(names = "--data-dir", defaultValue = "${env:HEYGEM_DATA_DIR:-data}",
            description = "Data directory (env HEYGEM_DATA_DIR). Default: ${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--model-path", defaultValue = "${env:HEYGEM_MODEL_PATH:-/usr/share/dlib/shape_predictor_68_face_landmarks.dat}",
            description = "dlib 68-point landmark model, setting face.modelPath (env HEYGEM_MODEL_PATH). Default: ${DEFAULT-VALUE}.")
    Path modelPath;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0 (any free port) to 65535, got " + port);
        }
        LandmarkModelFile.require(modelPath);
        Files.createDirectories(dataDir);
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 64);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "heygem-http");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/api/v1/health", ex -> respond(ex, 200, "application/json",
                "{\"status\":\"ok\",\"version\":\"" + new VersionProvider().getVersion()[0] + "\"}"));
        server.createContext("/", ex -> respond(ex, 200, "text/html; charset=utf-8",
                "<!doctype html><meta charset=utf-8><title>HeyGem</title><h1>HeyGem</h1>"
                        + "<p>The server is running. Health: <a href=/api/v1/health>/api/v1/health</a></p>"));
        server.start();
        LOG.info("HeyGem listening on http://{}:{}/ (data directory {})", bind, port, dataDir.toAbsolutePath());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(1);
            stopped.countDown();
        }, "heygem-shutdown"));
        stopped.await();
        return ExitCodes.OK;
    }

    private static void respond(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }
}
