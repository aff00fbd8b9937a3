package com.heygem.app.imports;

import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import com.heygem.engine.error.Text;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Which hosts the server may pull media from (setting {@code import.allowHosts}). Empty, the
 * default: any host on the public internet, none on the server's own networks (loopback,
 * private, link-local, unique-local, carrier-grade NAT, multicast), so that a user cannot make
 * the server fetch from internal services. Set, it is the only hosts allowed: names, addresses
 * or CIDR ranges, comma-separated ({@code cdn.example.com, 10.1.0.0/16, 127.0.0.1}).
 *
 * <p>Every host is checked by what it resolves to now, and again by the proxy for each request
 * a playlist or a redirect makes, so a public name that points inside is refused too.
 */
public final class AddressPolicy {
    private final List<String> names = new ArrayList<>();
    private final List<byte[]> networks = new ArrayList<>();
    private final List<Integer> prefixes = new ArrayList<>();
    private final String setting;

    public AddressPolicy(String allowHosts) {
        this.setting = allowHosts == null ? "" : allowHosts.trim();
        for (String part : setting.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.isEmpty()) {
                continue;
            }
            int slash = p.indexOf('/');
            String address = slash < 0 ? p : p.substring(0, slash);
            if (address.matches("[0-9.]+") || address.contains(":")) {
                byte[] net = literal(address);
                int bits = net.length * 8;
                if (slash >= 0) {
                    try {
                        bits = Integer.parseInt(p.substring(slash + 1));
                    } catch (NumberFormatException e) {
                        bits = -1;
                    }
                }
                if (net == null || bits < 0 || bits > net.length * 8) {
                    throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "import.allowHosts", part.trim());
                }
                networks.add(net);
                prefixes.add(bits);
            } else {
                names.add(p);
            }
        }
    }

    /** Whether only listed hosts are allowed (the setting is not empty). */
    public boolean listed() {
        return !setting.isEmpty();
    }

    /**
     * @param shown how the address is named in the message
     * @return the address to connect to (the one checked: a second lookup could answer otherwise)
     * @throws HeyGemException SOURCE_REFUSED, or SOURCE_UNREACHABLE when the name does not resolve
     */
    public InetAddress check(String host, String shown) {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new HeyGemException(ErrorCode.SOURCE_UNREACHABLE, shown, new Text("the host name is not known",
                    "无法解析主机名"));
        }
        if (listed()) {
            if (names.contains(host.toLowerCase(Locale.ROOT))) {
                return addresses[0];
            }
            for (InetAddress a : addresses) {
                if (!inNetworks(a)) {
                    throw new HeyGemException(ErrorCode.SOURCE_REFUSED, shown, new Text(host
                            + " is not among the allowed hosts (setting import.allowHosts)",
                            host + " 不在允许的主机列表中（配置项 import.allowHosts）"));
                }
            }
            return addresses[0];
        }
        for (InetAddress a : addresses) {
            if (internal(a)) {
                throw new HeyGemException(ErrorCode.SOURCE_REFUSED, shown, new Text(host + " is on the server's own network ("
                        + a.getHostAddress() + ")", host + " 位于服务器所在的内部网络（" + a.getHostAddress() + "）"));
            }
        }
        return addresses[0];
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

    private boolean inNetworks(InetAddress a) {
        byte[] b = a.getAddress();
        for (int k = 0; k < networks.size(); k++) {
            byte[] net = networks.get(k);
            if (net.length == b.length && samePrefix(net, b, prefixes.get(k))) {
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

    /** An IP literal's bytes, without a lookup; null when it is not one. */
    private static byte[] literal(String text) {
        try {
            if (text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || text.contains(":")) {
                return InetAddress.getByName(text).getAddress(); // a literal: no DNS query is made
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
    }
}
