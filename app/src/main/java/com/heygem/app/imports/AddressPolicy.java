package com.heygem.app.imports;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.error.Text;
import com.heygem.engine.source.NumericHost;
import com.heygem.engine.source.SourceAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which hosts the server may connect to for a user: imports, live sources, webhooks (setting
 * {@code import.allowHosts}). Empty, the default: any host on the public internet, none on the
 * server's own networks (loopback, private, link-local, unique-local, carrier-grade NAT,
 * multicast, unspecified, in every spelling), so that a user cannot make the server reach
 * internal services. Set, it is the only hosts allowed: names, addresses or CIDR ranges,
 * comma-separated, a name or an address optionally with a port ({@code cdn.example.com,
 * 10.1.0.0/16, 127.0.0.1:8081, [::1]:8081}).
 *
 * <p>A host is read once, here, the way the connecting code reads it ({@link NumericHost}: the C
 * library's forms, which FFmpeg uses, so {@code 0177.0.0.1} is 127.0.0.1), and the caller
 * connects to the address this check returns, never to the host again: a second reading or a
 * second DNS answer could name another place. The checking proxy checks every request of a
 * playlist or a redirect the same way.
 *
 * <p>A refused host is answered as one that cannot be reached, with the same words: an editor
 * cannot tell an internal service that exists from one that does not. The server log says why.
 */
public final class AddressPolicy {
    private static final Logger LOG = LoggerFactory.getLogger(AddressPolicy.class);
    static final String SETTING = "import.allowHosts";

    /** One allowed host: a name, or a network (an address is a network of its full length); port 0 is any. */
    private record Entry(String name, byte[] network, int prefix, int port) {
        boolean allowsPort(int p) {
            return port == 0 || port == p;
        }
    }

    private final List<Entry> entries = new ArrayList<>();
    private final String setting;

    /** @throws HeyGemException INVALID_ARGUMENT naming the setting and the entry it cannot read */
    public AddressPolicy(String allowHosts) {
        this.setting = allowHosts == null ? "" : allowHosts.trim();
        for (String part : setting.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (!p.isEmpty()) {
                entries.add(entry(p, part.trim()));
            }
        }
    }

    private static Entry entry(String p, String given) {
        String host = p;
        int port = 0;
        if (p.startsWith("[")) {
            int close = p.indexOf(']');
            if (close < 0) {
                throw bad(given);
            }
            host = p.substring(1, close);
            String rest = p.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw bad(given);
                }
                port = port(rest.substring(1), given);
            }
        } else if (p.indexOf(':') >= 0 && p.indexOf(':') == p.lastIndexOf(':')) {
            host = p.substring(0, p.indexOf(':'));
            port = port(p.substring(p.indexOf(':') + 1), given);
        }
        int slash = host.indexOf('/');
        String address = slash < 0 ? host : host.substring(0, slash);
        if (slash >= 0 || NumericHost.looksNumeric(address)) {
            byte[] net = NumericHost.parse(address).map(InetAddress::getAddress).orElseThrow(() -> bad(given));
            int bits = net.length * 8;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(host.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw bad(given);
                }
            }
            if (bits < 0 || bits > net.length * 8) {
                throw bad(given);
            }
            return new Entry(null, net, bits, port);
        }
        if (!address.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*")) {
            throw bad(given);
        }
        return new Entry(address, null, 0, port);
    }

    private static int port(String text, String given) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw bad(given);
    }

    private static HeyGemException bad(String entry) {
        return new HeyGemException(ErrorCode.INVALID_ARGUMENT, SETTING, entry
                + " (a host name, an address or a CIDR range such as 10.1.0.0/16, each optionally with :port)");
    }

    /** Whether only listed hosts are allowed (the setting is not empty). */
    public boolean listed() {
        return !entries.isEmpty();
    }

    /**
     * Checks {@code host} (as it appears in the address, brackets allowed) and {@code port}.
     *
     * @param shown how the address is named in the message
     * @return where to connect: the address that was checked (a second lookup could answer otherwise)
     * @throws HeyGemException SOURCE_UNREACHABLE when the host is refused or its name is not known
     */
    public InetSocketAddress check(String host, int port, String shown) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        InetAddress[] addresses = resolve(h, shown);
        if (listed()) {
            for (Entry e : entries) {
                if (h.equals(e.name()) && e.allowsPort(port)) {
                    return new InetSocketAddress(addresses[0], port);
                }
            }
            for (InetAddress a : addresses) {
                if (!inNetworks(a, port)) {
                    throw refused(h, a, port, shown, "not among the allowed hosts (setting " + SETTING + ")");
                }
            }
            return new InetSocketAddress(addresses[0], port);
        }
        for (InetAddress a : addresses) {
            if (internal(a)) {
                throw refused(h, a, port, shown, "on the server's own network (allow it with the setting " + SETTING + ")");
            }
        }
        return new InetSocketAddress(addresses[0], port);
    }

    /** {@link #check(String, int, String)} of an address's own host and port. */
    public InetSocketAddress check(SourceAddress src) {
        return check(src.host(), src.port(), src.shown());
    }

    private static InetAddress[] resolve(String host, String shown) {
        java.util.Optional<InetAddress> numeric = NumericHost.parse(host);
        if (numeric.isPresent()) {
            return new InetAddress[] {numeric.get()};
        }
        if (NumericHost.looksNumeric(host)) {
            // A number no form reads: the C library would ask DNS for it, which knows no such name.
            throw unknown(shown);
        }
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw unknown(shown);
        }
    }

    private static HeyGemException unknown(String shown) {
        return new HeyGemException(ErrorCode.SOURCE_UNREACHABLE, shown, new Text("the host name is not known",
                "无法解析主机名"));
    }

    private static HeyGemException refused(String host, InetAddress a, int port, String shown, String why) {
        LOG.info("refused a connection to {} ({}:{}) for {}: {}", host, a.getHostAddress(), port, shown, why);
        return new HeyGemException(ErrorCode.SOURCE_UNREACHABLE, shown, SourceAddress.NO_ANSWER);
    }

    /** An address of the server's own networks, not of the public internet. */
    static boolean internal(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) // carrier-grade NAT
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19)) // benchmarking
                    || first >= 240; // reserved, broadcast
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true; // unique local fc00::/7
            }
            if (isZero(b, 0, 12)) {
                return true; // IPv4-compatible ::a.b.c.d (deprecated; never a public host)
            }
            if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
                try { // 6to4 2002:AABB:CCDD::/48 carries the IPv4 address AA.BB.CC.DD
                    return internal(InetAddress.getByAddress(new byte[] {b[2], b[3], b[4], b[5]}));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
            // IPv4-mapped and NAT64 addresses reach the IPv4 address inside.
            boolean mapped = isZero(b, 0, 10) && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
            if (mapped || nat64) {
                try {
                    return internal(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean inNetworks(InetAddress a, int port) {
        byte[] b = a.getAddress();
        for (Entry e : entries) {
            if (e.network() != null && e.allowsPort(port) && e.network().length == b.length
                    && samePrefix(e.network(), b, e.prefix())) {
                return true;
            }
        }
        return false;
    }

    private static boolean samePrefix(byte[] x, byte[] y, int bits) {
        for (int i = 0; i < bits; i++) {
            int mask = 0x80 >> (i % 8);
            if ((x[i / 8] & mask) != (y[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

}
