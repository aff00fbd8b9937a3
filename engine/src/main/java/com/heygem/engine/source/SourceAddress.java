package com.heygem.engine.source;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.error.Text;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * An address media can be pulled from: an http(s) file, an HLS ({@code .m3u8}) or DASH
 * ({@code .mpd}) playlist, or an rtmp(s) stream. Parsed once, so every caller (the page, the API,
 * {@code /easy/submit}, the CLI) refuses the same things with the same words.
 *
 * @param uri      the address as given (user info refused, so no password is ever logged)
 * @param host     its host, lower case, without brackets for IPv6
 * @param port     its port, or the scheme's default
 * @param fileName what the pulled file is called: the last path segment without its extension
 */
public record SourceAddress(URI uri, String host, int port, String fileName) {
    private static final Set<String> SCHEMES = Set.of("http", "https", "rtmp", "rtmps");
    /**
     * Why a source could not be reached, in the same words whether nothing answered, the answer
     * did not come in time, or the server may not connect there: so the answers cannot be used
     * to map which internal hosts and ports exist.
     */
    public static final Text NO_ANSWER = new Text("nothing this server may connect to answers there",
            "该地址没有本服务器可以连接的服务响应");

    /** Whether {@code text} is meant as an address rather than a file name. */
    public static boolean looksLikeOne(String text) {
        return text != null && text.trim().matches("(?i)^[a-z][a-z0-9+.-]*://.*");
    }

    /** @throws HeyGemException SOURCE_UNSUPPORTED for anything but a well-formed http(s)/rtmp(s) address */
    public static SourceAddress parse(String text) {
        String shown = shorten(text == null ? "" : text.trim());
        URI uri;
        try {
            uri = new URI(text == null ? "" : text.trim());
        } catch (URISyntaxException e) {
            throw new HeyGemException(ErrorCode.SOURCE_UNSUPPORTED, shown, "the address is not well formed");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            throw new HeyGemException(ErrorCode.SOURCE_UNSUPPORTED, shown,
                    scheme.isEmpty() ? "no scheme such as https://" : "'" + scheme + "://' is not one of http, https, rtmp, rtmps");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new HeyGemException(ErrorCode.SOURCE_UNSUPPORTED, shown, "it names no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new HeyGemException(ErrorCode.SOURCE_UNSUPPORTED, shown.replace(uri.getRawUserInfo() + "@", "…@"),
                    "a user name or password in the address would be kept in logs; use a signed link instead");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() > 0 ? uri.getPort() : switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            case "rtmps" -> 443;
            default -> 1935;
        };
        return new SourceAddress(uri, host, port, fileName(uri));
    }

    public String scheme() {
        return uri.getScheme().toLowerCase(Locale.ROOT);
    }

    public boolean isHttp() {
        return scheme().startsWith("http");
    }

    /** The address as shown to users and in logs: without its query (signed links carry secrets there). */
    public String shown() {
        String s = uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? "" : uri.getRawPath());
        return shorten(s + (uri.getRawQuery() != null ? "?…" : ""));
    }

    @Override
    public String toString() {
        return shown();
    }

    private static String fileName(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        int dot = last.lastIndexOf('.');
        String base = dot > 0 ? last.substring(0, dot) : last;
        base = base.replaceAll("[^\\p{L}\\p{N}._ -]", "_");
        if (base.isBlank() || base.equals("index") || base.equals("playlist") || base.equals("master") || base.equals("manifest")) {
            // A playlist's name says little: the host (and the folder) say where it came from.
            String folder = path.contains("/") ? path.substring(0, path.lastIndexOf('/')) : "";
            folder = folder.substring(folder.lastIndexOf('/') + 1).replaceAll("[^\\p{L}\\p{N}._ -]", "_");
            base = uri.getHost().toLowerCase(Locale.ROOT) + (folder.isBlank() ? "" : "-" + folder)
                    + (base.isBlank() ? "" : "-" + base);
        }
        return base.length() > 80 ? base.substring(0, 80) : base;
    }

    private static String shorten(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
