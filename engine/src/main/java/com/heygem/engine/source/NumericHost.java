package com.heygem.engine.source;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Reads the host of an address the way the C library's {@code getaddrinfo()} does before it asks
 * DNS, which is how FFmpeg (like most C programs) turns a host into a socket address: an IPv4
 * address in any of {@code inet_aton}'s forms, or an IPv6 literal.
 *
 * <p>{@code inet_aton} takes one to four dot-separated parts, each decimal, octal (a leading
 * {@code 0}) or hexadecimal ({@code 0x}), the last part filling the bytes left: {@code 0177.0.0.1},
 * {@code 0x7f.1}, {@code 2130706433} and {@code 127.1} are all 127.0.0.1. Java's own parser reads
 * {@code 0177.0.0.1} as 177.0.0.1 (a public address) and {@code 0x7f.1} as a name to look up, so
 * a check made with Java's reading and a connection made by FFmpeg would not be to the same
 * place. Every address a user gives is read here, once, and the connection is made to what this
 * reading says.
 */
public final class NumericHost {
    private NumericHost() {
    }

    /**
     * Whether {@code host} is meant as a number rather than a name: each of its dot-separated
     * parts starts with a digit (no DNS name does: its last label is never all digits).
     */
    public static boolean looksNumeric(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        if (host.indexOf(':') >= 0) {
            return true; // IPv6
        }
        for (String part : host.split("\\.", -1)) {
            if (part.isEmpty() || !Character.isDigit(part.charAt(0))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The address {@code host} stands for without a DNS query, as {@code getaddrinfo()} reads it;
     * empty when it is a name (or a number no form reads, which the C library would then send to
     * DNS, where no such name exists: callers treat that as a host that is not known).
     */
    public static Optional<InetAddress> parse(String host) {
        if (host == null || host.isEmpty()) {
            return Optional.empty();
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.indexOf(':') >= 0) {
            return ipv6(h);
        }
        long value = inetAton(h);
        if (value < 0) {
            return Optional.empty();
        }
        byte[] b = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            return Optional.of(InetAddress.getByAddress(b));
        } catch (UnknownHostException e) {
            return Optional.empty(); // four bytes are always an address
        }
    }

    /** inet_aton's reading of {@code s} as a 32-bit value, or -1 when it reads none. */
    static long inetAton(String s) {
        long[] parts = new long[4];
        int n = 0;
        int i = 0;
        int len = s.length();
        while (true) {
            if (i >= len || !isDigit(s.charAt(i))) {
                return -1;
            }
            int base = 10;
            if (s.charAt(i) == '0') {
                i++;
                if (i < len && (s.charAt(i) == 'x' || s.charAt(i) == 'X')) {
                    base = 16;
                    i++;
                } else {
                    base = 8;
                }
            }
            long value = 0;
            while (i < len) {
                char c = s.charAt(i);
                int digit;
                if (isDigit(c)) {
                    if (base == 8 && c >= '8') {
                        return -1;
                    }
                    digit = c - '0';
                } else if (base == 16 && isHex(c)) {
                    digit = Character.toLowerCase(c) - 'a' + 10;
                } else {
                    break;
                }
                value = value * base + digit;
                if (value > 0xffff_ffffL) {
                    return -1;
                }
                i++;
            }
            if (i < len && s.charAt(i) == '.') {
                if (n >= 3) {
                    return -1;
                }
                parts[n++] = value;
                i++;
                continue;
            }
            if (i != len) {
                return -1; // anything after the number (getaddrinfo reads the whole host, no trailing space)
            }
            parts[n++] = value;
            break;
        }
        // The last part fills what the others leave: a.b.c.d, a.b.(16 bits), a.(24 bits), (32 bits).
        long[] max = {0xffff_ffffL, 0xff_ffffL, 0xffffL, 0xffL};
        if (parts[n - 1] > max[n - 1]) {
            return -1;
        }
        long value = parts[n - 1];
        for (int k = 0; k < n - 1; k++) {
            if (parts[k] > 0xff) {
                return -1;
            }
            value |= parts[k] << (24 - 8 * k);
        }
        return value;
    }

    private static Optional<InetAddress> ipv6(String h) {
        // inet_pton's grammar: hex groups, one "::", an optional dotted-decimal tail; a zone (%eth0) too.
        if (!h.matches("[0-9A-Fa-f:.]+(%[A-Za-z0-9_.-]+)?")) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName("[" + h + "]")); // a literal: Java makes no DNS query
        } catch (UnknownHostException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(char c) {
        return (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
