package com.heygem.app.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret that guards the API: made on first start, kept in {@code <data>/token} (readable by
 * its owner only), compared in constant time.
 */
public final class AccessToken {
    private final String value;

    private AccessToken(String value) {
        this.value = value;
    }

    /** The data directory's token, created when there is none. */
    public static AccessToken load(Path dataDir) throws IOException {
        Path file = dataDir.resolve("token");
        if (Files.isRegularFile(file)) {
            String v = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (v.length() >= 16) {
                return new AccessToken(v);
            }
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String v = HexFormat.of().formatHex(random);
        Files.writeString(file, v + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own protection has to do
        }
        return new AccessToken(v);
    }

    public String value() {
        return value;
    }

    boolean accepts(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, value.getBytes(StandardCharsets.UTF_8));
    }
}
