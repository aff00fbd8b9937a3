package com.heygem.app.testing;

import com.heygem.engine.media.Ffmpeg;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Local sources of media for tests, all on 127.0.0.1: an HTTP server serving a folder (byte
 * ranges, 404s, 401 under {@code /private/}, and redirects set by the test), and FFmpeg publishing a file as an RTMP stream it
 * listens for ({@code -listen 1}). Nothing leaves the machine.
 */
public final class MediaSources implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");
    private final HttpServer http;
    private final Path folder;
    private final Map<String, String> redirects = new ConcurrentHashMap<>();
    private final List<Process> publishers = new ArrayList<>();
    /** Paths asked for, in order (a test can see what a pull fetched). */
    public final List<String> asked = java.util.Collections.synchronizedList(new ArrayList<>());

    public MediaSources(Path folder) throws IOException {
        this.folder = folder;
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        http.createContext("/", this::serve);
        http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "media-sources");
            t.setDaemon(true);
            return t;
        }));
        http.start();
    }

    /** {@code http://127.0.0.1:port/name}. */
    public String url(String name) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/" + name;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    /** Requests for {@code /name} are answered 302 to {@code target}. */
    public void redirect(String name, String target) {
        redirects.put("/" + name, target);
    }

    private void serve(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            asked.add(path);
            String to = redirects.get(path);
            if (to != null) {
                x.getResponseHeaders().add("Location", to);
                x.sendResponseHeaders(302, -1);
                return;
            }
            if (path.startsWith("/private/")) { // a source that wants a sign-in
                x.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"media\"");
                x.sendResponseHeaders(401, -1);
                return;
            }
            Path file = folder.resolve(path.substring(1)).normalize();
            if (!file.startsWith(folder) || !Files.isRegularFile(file)) {
                x.sendResponseHeaders(404, -1);
                return;
            }
            long size = Files.size(file);
            long from = 0;
            long to2 = size - 1;
            String range = x.getRequestHeaders().getFirst("Range");
            Matcher m = range == null ? null : RANGE.matcher(range);
            boolean partial = m != null && m.matches();
            if (partial) {
                from = Long.parseLong(m.group(1));
                if (!m.group(2).isEmpty()) {
                    to2 = Math.min(to2, Long.parseLong(m.group(2)));
                }
                if (from >= size) {
                    x.getResponseHeaders().add("Content-Range", "bytes */" + size);
                    x.sendResponseHeaders(416, -1);
                    return;
                }
                x.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + to2 + "/" + size);
            }
            x.getResponseHeaders().add("Accept-Ranges", "bytes");
            String name = file.getFileName().toString();
            x.getResponseHeaders().add("Content-Type", name.endsWith(".m3u8") ? "application/vnd.apple.mpegurl"
                    : name.endsWith(".ts") ? "video/mp2t" : "application/octet-stream");
            long length = to2 - from + 1;
            x.sendResponseHeaders(partial ? 206 : 200, length);
            try (InputStream in = Files.newInputStream(file); OutputStream out = x.getResponseBody()) {
                in.skipNBytes(from);
                byte[] buf = new byte[64 * 1024];
                long left = length;
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        break;
                    }
                    out.write(buf, 0, n);
                    left -= n;
                }
            } catch (IOException e) {
                // the client went away (a pull that stopped)
            }
        }
    }

    /**
     * FFmpeg publishes {@code input} in real time as RTMP, waiting for one client at the returned
     * address; {@code loop} repeats the input for a long live stream.
     */
    public String rtmp(Path input, boolean loop) throws IOException, InterruptedException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String url = "rtmp://127.0.0.1:" + port + "/live/stream";
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-loglevel", "error", "-re"));
        if (loop) {
            args.addAll(List.of("-stream_loop", "-1"));
        }
        args.addAll(List.of("-i", input.toString(), "-map", "0:a:0", "-c:a", "aac", "-b:a", "96k", "-f", "flv",
                "-listen", "1", url));
        Process p = Ffmpeg.process(Ffmpeg.executable(), args).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        publishers.add(p);
        awaitListening(port, p);
        return url;
    }

    /**
     * Waits until something listens on TCP {@code port} of this machine, as the kernel lists it:
     * FFmpeg takes a moment to listen, and probing the port would use up its one connection.
     */
    public static void awaitListening(int port, Process listener) throws IOException, InterruptedException {
        String local = String.format(":%04X ", port);
        long end = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                Path file = Path.of(table);
                if (!Files.isReadable(file)) {
                    continue;
                }
                for (String line : Files.readAllLines(file)) {
                    String[] f = line.trim().split("\\s+");
                    // local address, remote address, state: 0A is LISTEN
                    if (f.length > 3 && (f[1] + " ").endsWith(local) && f[3].equals("0A")) {
                        return;
                    }
                }
            }
            if (!listener.isAlive()) {
                throw new IllegalStateException("the listener on port " + port + " exited with " + listener.exitValue());
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("nothing listens on port " + port + " after 30 s");
    }

    @Override
    public void close() {
        http.stop(0);
        for (Process p : publishers) {
            p.destroyForcibly();
        }
    }
}
