package com.heygem.app.imports;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP(S) POST to an address already checked by the {@link AddressPolicy}: the socket is
 * opened to that address, never to the host name again (the JDK's HTTP client resolves the
 * name itself, and a second DNS answer could point inside). HTTPS still verifies the
 * certificate against the host name, which also goes in the TLS server name and the Host header.
 */
public final class PinnedPost {
    private static final int MAX_STATUS_LINE = 8 * 1024;

    private PinnedPost() {
    }

    /**
     * @param uri     the http(s) address as given (its host names the certificate and the Host header)
     * @param to      where to connect: what the policy checked
     * @param headers request headers besides Host, Content-Length and Connection
     * @return the HTTP status code of the answer
     */
    public static int post(URI uri, InetSocketAddress to, Map<String, String> headers, byte[] body, int connectMillis,
            int readMillis) throws IOException {
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        Socket raw = new Socket();
        try {
            raw.connect(to, connectMillis);
            raw.setSoTimeout(readMillis);
            Socket socket = raw;
            String host = uri.getHost();
            if (tls) {
                SSLSocket ssl = (SSLSocket) ((SSLSocketFactory) SSLSocketFactory.getDefault()).createSocket(raw,
                        bare(host), to.getPort(), true);
                SSLParameters p = ssl.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                if (!host.startsWith("[") && !Character.isDigit(host.charAt(host.length() - 1))) {
                    p.setServerNames(List.of(new SNIHostName(host)));
                }
                ssl.setSSLParameters(p);
                ssl.startHandshake();
                socket = ssl;
            }
            String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            int defaultPort = tls ? 443 : 80;
            StringBuilder head = new StringBuilder("POST ").append(target).append(" HTTP/1.1\r\nHost: ").append(host)
                    .append(uri.getPort() > 0 && uri.getPort() != defaultPort ? ":" + uri.getPort() : "").append("\r\n");
            for (Map.Entry<String, String> h : headers.entrySet()) {
                head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            }
            head.append("Content-Length: ").append(body.length).append("\r\nConnection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            return status(socket.getInputStream());
        } finally {
            raw.close();
        }
    }

    /** The status code from the answer's first line ({@code HTTP/1.1 204 No Content}). */
    static int status(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0 && b != '\n' && line.size() < MAX_STATUS_LINE; ) {
            line.write(b);
        }
        String[] parts = line.toString(StandardCharsets.ISO_8859_1).trim().split(" ");
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP answer: " + line.toString(StandardCharsets.ISO_8859_1).trim());
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + parts[1]);
        }
    }

    private static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
