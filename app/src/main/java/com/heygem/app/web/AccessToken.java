package com.heygem.app.web;

import com.heygem.app.store.Hashes;
import com.heygem.engine.error.ErrorCode;
import com.heygem.engine.error.HeyGemException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret that guards the API: made on first start, kept in {@code <data>/token} (readable by
 * its owner only), compared in constant time. {@code heygem token rotate} writes a new one; a
 * running server reads the file again when it changes (looked at once a second at most), so the
 * old token and every browser session opened with it stop working without a restart.
 */
public final class AccessToken {
    /** Shorter tokens in the file are replaced (an empty file, say): too few to guess against. */
    static final int MIN_LENGTH = 16;
    private static final long LOOK_NANOS = 1_000_000_000L;

    private final Path file;
    private volatile String value;
    private volatile String hash;
    private volatile FileTime modified;
    private volatile long lookedAt;

    private AccessToken(Path file, String value, FileTime modified) {
        this.file = file;
        set(value, modified);
        this.lookedAt = System.nanoTime();
    }

    private void set(String v, FileTime t) {
        value = v;
        hash = Hashes.sha256(v);
        modified = t;
    }

    /**
     * The data directory's token, created when there is none.
     *
     * @throws HeyGemException INVALID_ARGUMENT when {@code token} is there but not a token file
     */
    public static AccessToken load(Path dataDir) throws IOException {
        Path file = dataDir.resolve("token");
        String v = read(file);
        if (v == null || v.length() < MIN_LENGTH) {
            v = write(file);
        }
        return new AccessToken(file, v, Files.getLastModifiedTime(file));
    }

    /**
     * Refuses a token file that is there but broken (a folder, not UTF-8), writing nothing: a
     * start checks this before anything else, and makes the token only once it is up.
     */
    public static void check(Path dataDir) throws IOException {
        read(dataDir.resolve("token"));
    }

    /** Writes a new token in place of the old one. @return the new token */
    public static String rotate(Path dataDir) throws IOException {
        Path file = dataDir.resolve("token");
        read(file); // refuses a directory or a damaged file rather than replacing it unseen
        return write(file);
    }

    /** @return the token in {@code file}, or null when there is no file */
    private static String read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "token", file + " is not a readable file; remove it"
                    + " (a new token is made at the next start) or restore the token file");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString().trim();
        } catch (CharacterCodingException e) {
            throw new HeyGemException(ErrorCode.INVALID_ARGUMENT, "token", file + " is not a text file (not UTF-8);"
                    + " remove it (a new token is made at the next start) or restore the token file");
        }
    }

    /** A new random token, written to a private temporary file and moved into place in one step. */
    private static String write(Path file) throws IOException {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String v = HexFormat.of().formatHex(random);
        Path tmp = file.resolveSibling(".token.new");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the directory's own protection has to do
        }
        Files.writeString(tmp, v + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return v;
    }

    /** The current token (read again if its file changed). */
    public String value() {
        refresh();
        return value;
    }

    /** SHA-256 of the current token: what sessions opened with it are tied to. */
    String hash() {
        refresh();
        return hash;
    }

    private void refresh() {
        long now = System.nanoTime();
        if (now - lookedAt < LOOK_NANOS) {
            return;
        }
        lookedAt = now;
        try {
            FileTime t = Files.getLastModifiedTime(file);
            if (!t.equals(modified)) {
                String v = read(file);
                if (v != null && v.length() >= MIN_LENGTH) {
                    set(v, t);
                }
            }
        } catch (IOException | HeyGemException e) {
            // A file being replaced or broken meanwhile: keep the token in use until a good one is there.
        }
    }

    boolean accepts(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, value().getBytes(StandardCharsets.UTF_8));
    }
}
