package com.heygem.app.imports;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.source.SourceAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HTTP proxy one pull's FFmpeg goes through, on 127.0.0.1 for the pull's lifetime: it checks
 * the host of every request (the playlist, each segment, each redirect, each HTTPS tunnel)
 * against the {@link AddressPolicy} and connects to the address it checked. FFmpeg alone would
 * follow a playlist or a redirect anywhere, internal services included.
 *
 * <p>Plain HTTP requests are sent on with {@code Connection: close} and answered the same way,
 * so one connection carries one request and the next request is checked again.
 */
public final class CheckingProxy implements AutoCloseable {
    private static final int MAX_HEAD = 64 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 15_000;
    private static final Set<String> HOP_HEADERS = Set.of("connection", "proxy-connection", "keep-alive",
            "proxy-authorization", "proxy-authenticate", "te", "upgrade");

    private final ServerSocket server;
    private final AddressPolicy policy;
    private final String shown;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile HeyGemException failure;

    /** @param shown the address the pull was asked for, named in refusals */
    public CheckingProxy(AddressPolicy policy, String shown) throws IOException {
        this.policy = policy;
        this.shown = shown;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        Thread t = new Thread(this::accept, "import-proxy");
        t.setDaemon(true);
        t.start();
    }

    /** The value of FFmpeg's {@code -http_proxy}. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /**
     * The first host this proxy refused or could not reach, if any: the reason a pull failed
     * (FFmpeg only sees a 403 or 502 from the proxy).
     */
    public HeyGemException failure() {
        return failure;
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread t = new Thread(() -> serve(client), "import-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        Socket upstream = null;
        try (client) {
            client.setSoTimeout(60_000);
            InputStream fromClient = client.getInputStream();
            OutputStream toClient = client.getOutputStream();
            String head = readHead(fromClient);
            if (head == null) {
                return;
            }
            String[] lines = head.split("\r\n");
            String[] request = lines[0].split(" ");
            if (request.length != 3) {
                answer(toClient, "400 Bad Request");
                return;
            }
            boolean tunnel = request[0].equalsIgnoreCase("CONNECT");
            String host;
            int port;
            String path = null;
            if (tunnel) {
                int colon = request[1].lastIndexOf(':');
                host = strip(colon < 0 ? request[1] : request[1].substring(0, colon));
                port = colon < 0 ? 443 : Integer.parseInt(request[1].substring(colon + 1));
            } else {
                URI target = URI.create(request[1]);
                if (!"http".equalsIgnoreCase(target.getScheme()) || target.getHost() == null) {
                    answer(toClient, "400 Bad Request");
                    return;
                }
                host = strip(target.getHost());
                port = target.getPort() > 0 ? target.getPort() : 80;
                path = (target.getRawPath() == null || target.getRawPath().isEmpty() ? "/" : target.getRawPath())
                        + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
            }
            InetSocketAddress address;
            try {
                address = policy.check(host, port, shown);
            } catch (HeyGemException e) {
                remember(e);
                answer(toClient, "502 Bad Gateway"); // as for a host that does not answer
                return;
            }
            upstream = new Socket();
            open.add(upstream);
            try {
                upstream.connect(address, CONNECT_TIMEOUT_MS);
            } catch (IOException e) {
                remember(new HeyGemException(ErrorCode.SOURCE_UNREACHABLE, shown, SourceAddress.NO_ANSWER));
                answer(toClient, "502 Bad Gateway");
                return;
            }
            upstream.setSoTimeout(60_000);
            InputStream fromUpstream = upstream.getInputStream();
            OutputStream toUpstream = upstream.getOutputStream();
            if (tunnel) {
                toClient.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                toClient.flush();
                Socket up = upstream;
                Thread back = new Thread(() -> pipe(fromClient, toUpstream, up), "import-proxy-up");
                back.setDaemon(true);
                back.start();
                pipe(fromUpstream, toClient, client);
                return;
            }
            String out = request[0] + ' ' + path + " HTTP/1.1\r\n" + endToEnd(lines);
            toUpstream.write(out.getBytes(StandardCharsets.ISO_8859_1));
            toUpstream.flush();
            String response = readHead(fromUpstream);
            if (response == null) {
                return;
            }
            String[] responseLines = response.split("\r\n");
            String back = responseLines[0] + "\r\n" + endToEnd(responseLines);
            toClient.write(back.getBytes(StandardCharsets.ISO_8859_1));
            fromUpstream.transferTo(toClient);
            toClient.flush();
        } catch (IOException | RuntimeException e) {
            // the pull sees the connection end and says what failed
        } finally {
            if (upstream != null) {
                try {
                    upstream.close();
                } catch (IOException e) {
                    // closing
                }
                open.remove(upstream);
            }
            open.remove(client);
        }
    }

    /** The header lines after the first, without hop-by-hop ones, closing the connection after one exchange. */
    private static String endToEnd(String[] lines) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && !HOP_HEADERS.contains(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT))) {
                out.append(lines[i]).append("\r\n");
            }
        }
        return out.append("Connection: close\r\n\r\n").toString();
    }

    private void remember(HeyGemException e) {
        if (failure == null) {
            failure = e;
        }
    }

    private static String strip(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    private static void answer(OutputStream out, String status) throws IOException {
        out.write(("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void pipe(InputStream in, OutputStream out, Socket closeAfter) {
        try {
            in.transferTo(out);
            out.flush();
        } catch (IOException e) {
            // either side closed
        } finally {
            try {
                closeAfter.shutdownOutput();
            } catch (IOException e) {
                // closed already
            }
        }
    }

    /** The header block up to the blank line (its bytes are consumed, nothing after it). */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (head.size() < MAX_HEAD) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            last4 = (last4 << 8) | b;
            if (last4 == 0x0d0a0d0a) {
                String s = head.toString(StandardCharsets.ISO_8859_1);
                return s.substring(0, s.length() - 4);
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing
            }
        }
    }
}
