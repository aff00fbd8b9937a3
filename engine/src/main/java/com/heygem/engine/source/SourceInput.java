package com.heygem.engine.source;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How FFmpeg opens a {@link SourceAddress}: the address it is given and the options that keep it
 * to what was checked.
 *
 * <ul>
 *   <li>rtmp(s): FFmpeg connects itself, so it is handed the address already resolved and
 *       checked ({@code rtmp://203.0.113.5:1935/app/key}), never a host it would read again its
 *       own way; only RTMP over TCP/TLS and the FLV demuxer are allowed.</li>
 *   <li>http(s), HLS, DASH: every request goes through the checking proxy, given both as
 *       {@code -http_proxy} and in the environment ({@code http_proxy}), so that files a demuxer
 *       opens on its own are proxied too; no protocol that bypasses HTTP (rtmp, a raw tcp:// or
 *       file:// entry) and no demuxer that opens addresses of its own choosing (concat, imf,
 *       image sequences…): only the containers and playlists people send.</li>
 * </ul>
 *
 * @param url       what FFmpeg opens
 * @param options   FFmpeg input options, placed before {@code -i}
 * @param httpProxy the proxy for the environment, or null
 */
public record SourceInput(String url, List<String> options, String httpProxy) {
    /** Protocols of an HTTP pull: tcp only carries HTTP to the proxy (no demuxer allowed here opens tcp://). */
    static final String HTTP_PROTOCOLS = "http,https,tcp,tls,crypto,httpproxy";
    static final String RTMP_PROTOCOLS = "rtmp,rtmps,tcp,tls";
    /**
     * Demuxers of an HTTP pull: media containers and the HLS/DASH playlists, whose own segment
     * addresses FFmpeg limits to http(s). Not concat (its entries are opened directly, bypassing
     * the proxy), not imf, sdp, image2 or the like.
     */
    static final String HTTP_FORMATS = "hls,dash,mov,matroska,flv,live_flv,mpegts,mpeg,avi,asf,mp3,aac,ac3,eac3,"
            + "wav,w64,flac,ogg,caf,aiff,amr,mxf,nut,h264,hevc,m4v,ivf,wv,ape,tta,mpegvideo";
    static final String RTMP_FORMATS = "flv,live_flv";

    /**
     * @param pinned    the address the host was checked as (rtmp connects there), or null to let
     *                  FFmpeg resolve the host itself (the command line: the machine's owner types it)
     * @param httpProxy the checking proxy ({@code http://127.0.0.1:port}), or null
     */
    public static SourceInput of(SourceAddress src, InetAddress pinned, String httpProxy) {
        List<String> options = new ArrayList<>();
        if (src.isHttp()) {
            options.addAll(List.of("-protocol_whitelist", HTTP_PROTOCOLS, "-format_whitelist", HTTP_FORMATS));
            if (httpProxy != null) {
                options.addAll(List.of("-http_proxy", httpProxy));
            }
            return new SourceInput(src.uri().toString(), List.copyOf(options), httpProxy);
        }
        options.addAll(List.of("-protocol_whitelist", RTMP_PROTOCOLS, "-format_whitelist", RTMP_FORMATS));
        String url = pinned == null ? src.uri().toString() : withHost(src, pinned);
        return new SourceInput(url, List.copyOf(options), null);
    }

    /** The address with its host replaced by {@code address}, in the numeric form every parser reads alike. */
    static String withHost(SourceAddress src, InetAddress address) {
        String host = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
        return src.scheme() + "://" + host + ":" + src.port() + (src.uri().getRawPath() == null ? "" : src.uri().getRawPath())
                + (src.uri().getRawQuery() == null ? "" : "?" + src.uri().getRawQuery());
    }

    /**
     * Sets FFmpeg's environment: no proxy or no-proxy list from the server's own environment,
     * and this input's proxy for every HTTP request, nested ones included.
     */
    public void environment(Map<String, String> env) {
        env.keySet().removeIf(k -> k.equalsIgnoreCase("http_proxy") || k.equalsIgnoreCase("https_proxy")
                || k.equalsIgnoreCase("no_proxy"));
        if (httpProxy != null) {
            env.put("http_proxy", httpProxy);
        }
    }
}
